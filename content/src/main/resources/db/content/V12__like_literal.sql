-- The editors' haven search treats what they type as text: % _ and \ match themselves.
CREATE FUNCTION content.like_literal(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN replace(replace(replace(t, '\', '\\'), '%', '\%'), '_', '\_');
