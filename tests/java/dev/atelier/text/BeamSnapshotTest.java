package dev.atelier.text;

import dev.atelier.text.search.BeamSearch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.text.constraint.ConstraintSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The strict search's snapshots agree with its final outputs: every output's sequence was a live beam in the
 * snapshot of its length, with the same satisfied flag (and, for an output cut at the length limit, the same
 * score); every beam's constraint progress is consistent with its bank and satisfied flag.
 */
class BeamSnapshotTest {
    @Test
    void snapshotsAgreeWithTheFinalOutputsOnRandomModelsAndConstraints() {
        Random rnd = new Random(17);
        int checkedOutputs = 0;
        for (int trial = 0; trial < 150; trial++) {
            int v = 5 + rnd.nextInt(4);
            BigramModel m = StrictBruteForceTest.randomModel(rnd, v);
            int maxNew = 3 + rnd.nextInt(4);
            List<int[]> prompts = List.of(StrictBruteForceTest.randomPhrase(rnd, v, 2),
                    StrictBruteForceTest.randomPhrase(rnd, v, 3));
            List<ConstraintSet> sets = List.of(StrictBruteForceTest.randomSet(rnd, v, maxNew),
                    StrictBruteForceTest.randomSet(rnd, v, maxNew));
            int beams = 2 + rnd.nextInt(3);
            EarlyStopping es = EarlyStopping.values()[rnd.nextInt(EarlyStopping.values().length)];
            BeamSearchConfig cfg = new BeamSearchConfig(SearchMode.STRICT, beams, null, maxNew, 0, 1.0, es,
                    1 + rnd.nextInt(beams), 0);
            List<BeamSnapshot> snaps = new ArrayList<>();
            List<TextOutput> outs = BeamSearch.generate(m, prompts, sets, cfg, null, snaps::add);
            List<TextOutput> plain = BeamSearch.generate(m, prompts, sets, cfg, null);
            assertEquals(plain.size(), outs.size(), "listening changes nothing");
            for (int i = 0; i < outs.size(); i++) {
                assertTrue(Arrays.equals(plain.get(i).tokens(), outs.get(i).tokens()));
            }
            String where = "trial " + trial;
            for (int s = 0; s < snaps.size(); s++) {
                BeamSnapshot snap = snaps.get(s);
                assertEquals(s + 1, snap.step(), where);
                assertEquals(maxNew, snap.maxSteps(), where);
                for (BeamSnapshot.Prompt p : snap.prompts()) {
                    for (BeamSnapshot.Beam b : p.beams()) {
                        if (!p.done()) {
                            assertEquals(snap.step(), b.tokens().length - b.promptLength(), where + " beam length");
                        }
                        boolean allMet = b.constraints().stream().allMatch(BeamSnapshot.Progress::met);
                        assertTrue(!b.satisfied() || allMet, where + ": satisfied with an unmet constraint");
                        int completed = 0;
                        int best = 0;
                        for (BeamSnapshot.Progress c : b.constraints()) {
                            assertTrue(c.matched() >= 0 && c.matched() <= c.length(), where);
                            assertTrue(!c.met() || c.matched() == c.length(), where + ": met but not fully matched");
                            if (c.met()) {
                                completed++;
                            } else {
                                best = Math.max(best, c.matched());
                            }
                        }
                        assertEquals(completed * sets.get(p.prompt()).maxLength() + best, b.bank(), where + " bank");
                    }
                }
            }
            for (TextOutput o : outs) {
                int eos = m.eosId();
                boolean endedWithEos = o.tokens().length > o.promptLength()
                        && o.tokens()[o.tokens().length - 1] == eos;
                int[] beam = endedWithEos ? Arrays.copyOf(o.tokens(), o.tokens().length - 1) : o.tokens();
                int generated = beam.length - o.promptLength();
                if (generated == 0) {
                    continue; // EOS as the first token: no snapshot precedes it
                }
                BeamSnapshot.Beam found = null;
                for (BeamSnapshot.Beam b : snaps.get(generated - 1).prompts().get(o.prompt()).beams()) {
                    if (Arrays.equals(b.tokens(), beam)) {
                        found = b;
                    }
                }
                assertTrue(found != null, where + ": output " + Arrays.toString(o.tokens()) + " was never a live beam");
                if (!endedWithEos) {
                    assertEquals(o.satisfied(), found.satisfied(), where);
                    assertEquals(o.score(), found.score(), 1e-12, where + " score");
                } else {
                    assertTrue(found.satisfied() && o.satisfied(), where + ": EOS only after every constraint");
                }
                checkedOutputs++;
            }
        }
        assertTrue(checkedOutputs > 200, "too few outputs checked: " + checkedOutputs);
    }
}
