# Consultations, "a popular poll opens": one fresh device token per vote, which the generic load
# generator cannot mint, so the scenario has its own harness running the real App in-process
# (bench/consultations/PopularPoll.java). Its figures go to bench/results/consultations-*.txt.
stop_service
bench/consultations/run.sh >&2
