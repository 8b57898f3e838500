package uk.gov.islington.youthsafety.content.bulletins;

/**
 * The e-mail side of a bulletin's delivery: every targeted subscriber ends in exactly one of sent,
 * undeliverable (refused for good by the mail server) or skipped (unsubscribed, or the address
 * bounced, before its turn); pending is still on its way.
 */
public record EmailDelivery(int targeted, int sent, int undeliverable, int skipped, int pending) {}
