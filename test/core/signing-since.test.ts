import { describe, expect, it } from 'vitest';
import { sinceWarning } from '../../src/core/signing-since.js';

/** signing.since that anchors less than the log holds: audit verify, status and history warn, with the value to use. */
describe('sinceWarning', () => {
  it.each([
    ['no signing.since', undefined, 4, 8, undefined],
    ['since at the first signed event', 4, 4, 8, undefined],
    ['since before the first signed event (verify breaks there instead)', 2, 4, 8, undefined],
    ['since later than the first signed event, inside the log', 6, 4, 8, /^signing\.since: 6 in \.promptrc\.yaml is later than the first signed event, #4: .*signatures of events #4 to #5 .*set `signing\.since: 4`$/],
    ['since past the head, events signed', 400, 4, 8, /signing\.since: 400 .*later than the first signed event, #4: .*events #4 to #8 .*set `signing\.since: 4`$/],
    ['since one after the first signed event', 5, 4, 8, /signatures of event #4 leaves/],
    ['nothing signed, since the next event: a new setup', 9, undefined, 8, undefined],
    ['nothing signed, since inside the log (verify breaks there instead)', 4, undefined, 8, undefined],
    ['nothing signed, since past the next event', 400, undefined, 8, /^signing\.since: 400 in \.promptrc\.yaml is past the log, which ends at #8, and no event is signed: .*or to `signing\.since: 9` if signing starts with the next event$/],
  ])('%s', (_, since, firstSigned, head, expected) => {
    const w = sinceWarning(since, firstSigned, head);
    if (expected === undefined) expect(w).toBeUndefined();
    else expect(w).toMatch(expected);
  });
});
