package uk.gov.islington.youthsafety.content.directory;

/** One entry of the directory of support. Ages are inclusive; null means no bound was stated. */
public record SupportService(
    String id,
    String name,
    String description,
    String category,
    Integer ageMin,
    Integer ageMax,
    String phone,
    String email,
    String website,
    String address,
    int sortOrder) {}
