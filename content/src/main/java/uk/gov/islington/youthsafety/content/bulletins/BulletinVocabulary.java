package uk.gov.islington.youthsafety.content.bulletins;

import java.util.List;

/**
 * Who a bulletin is for, and where: the audiences people subscribe to (the bulletin's sign-up was
 * for "parents and professionals"; young people read it too), and Islington's 17 wards (2022
 * boundaries) as coarse areas. No area means the whole borough.
 */
public final class BulletinVocabulary {

  public static final List<String> AUDIENCES = List.of("parents", "young_people", "professionals");

  public static final List<String> AREAS =
      List.of(
          "arsenal",
          "barnsbury",
          "bunhill",
          "caledonian",
          "canonbury",
          "clerkenwell",
          "finsbury-park",
          "highbury",
          "hillrise",
          "holloway",
          "junction",
          "laycock",
          "mildmay",
          "st-marys-and-st-james",
          "st-peters-and-canalside",
          "tollington",
          "tufnell-park");

  private BulletinVocabulary() {}
}
