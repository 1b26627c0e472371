/** A ratio beside its limit, rounded away from the limit on a failure and towards it on a pass, so the two never disagree (2.4996 passing is not shown as 2.50). */
export const shownRatio = (ratio, pass) => ((pass ? Math.floor : Math.ceil)(ratio * 100 - (pass ? -1e-9 : 1e-9)) / 100).toFixed(2);
