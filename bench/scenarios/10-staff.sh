# Staff (foundation): what staff authentication costs.
# - list-staff: a staff-authenticated read (ES256 verification, revocation check, one indexed
#   query, no-store) against the GET /health/live baseline of the same run;
# - sign-in: issueStaffToken at a fixed low rate. Argon2id is CPU-bound by design (about 0.1 s
#   of one core per sign-in), so this measures the price of a slow hash, not an accident.
#   Each request comes from its own X-Forwarded-For address so that x-rate-limit does not apply.
start_service ADMIN_USERNAME=bench.admin ADMIN_PASSWORD='bench admin passphrase' TRUSTED_PROXIES=127.0.0.1/32,::1/128 TRUSTED_PROXY_HOPS=1
echo '{"username":"bench.admin","password":"bench admin passphrase"}' > "$DATA/sign-in.json"
STAFF_TOKEN=$(curl -sf -X POST "$BASE/v1/auth/token" -H 'Content-Type: application/json' \
  --data @"$DATA/sign-in.json" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
load live /health/live
load list-staff '/v1/staff?limit=20' --header "Authorization: Bearer $STAFF_TOKEN" --expect 200
ratio "list-staff / live" list-staff live
load list-staff-fixed '/v1/staff?limit=20' --header "Authorization: Bearer $STAFF_TOKEN" --rate 50 --expect 200
load sign-in-fixed /v1/auth/token --method POST --body "$DATA/sign-in.json" \
  --header 'Content-Type: application/json' --header 'X-Forwarded-For: {uuid}' --rate 4 --connections 8 --expect 200
