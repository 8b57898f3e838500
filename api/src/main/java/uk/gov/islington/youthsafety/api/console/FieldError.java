package uk.gov.islington.youthsafety.api.console;

/**
 * One entry of a page's error summary; {@code field} is the id of the input it links to, or null.
 */
public record FieldError(String field, String message) {}
