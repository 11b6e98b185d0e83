package dev.atelier.text.hf;

import dev.atelier.text.constraint.Constraint;
import java.util.ArrayList;
import java.util.List;

/**
 * transformers 4.57's {@code ConstraintListState}, reproduced exactly: one constraint in progress at a time, a
 * breaking token resets it without being re-examined, the whole sequence (prompt included) is replayed, and a
 * stateful copy does not carry the {@code completed} flag. Package-private: hf mode only.
 */
final class HfConstraintListState {
    private final List<Constraint> constraints;
    private final int maxSeqlen;
    private final boolean empty;
    boolean completed;
    private List<Constraint> complete;
    private Constraint inProgress;
    private List<Constraint> pending;

    HfConstraintListState(List<Constraint> constraints) {
        this.constraints = constraints;
        int m = 0;
        for (Constraint c : constraints) {
            m = Math.max(m, c.length());
        }
        this.maxSeqlen = m;
        // transformers cannot run without constraints; a prompt without any is trivially satisfied here.
        this.empty = constraints.isEmpty();
        initState();
    }

    private void initState() {
        complete = new ArrayList<>();
        inProgress = null;
        pending = new ArrayList<>(constraints.size());
        for (Constraint c : constraints) {
            pending.add(c.copy(false));
        }
        completed = empty;
    }

    int bank() {
        int add = inProgress != null ? maxSeqlen - inProgress.remaining() : 0;
        return complete.size() * maxSeqlen + add;
    }

    /** @return the advance tokens in transformers' order (duplicates kept), possibly empty */
    int[] advance() {
        List<int[]> parts = new ArrayList<>();
        if (inProgress == null) {
            for (Constraint c : pending) {
                parts.add(c.advance());
            }
        } else {
            parts.add(inProgress.advance());
        }
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int i = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    void reset(int[] seq, int len) {
        initState();
        for (int i = 0; i < len && !completed; i++) {
            add(seq[i]);
        }
    }

    void add(int token) {
        if (completed) {
            return;
        }
        if (inProgress != null) {
            Constraint.Update u = inProgress.update(token);
            if (u == Constraint.Update.RESET) {
                pending.add(inProgress.copy(false));
                inProgress = null;
            }
            if (u == Constraint.Update.COMPLETED) {
                complete.add(inProgress);
                inProgress = null;
                if (pending.isEmpty()) {
                    completed = true;
                }
            }
            return;
        }
        for (int i = 0; i < pending.size(); i++) {
            Constraint c = pending.get(i);
            if (!c.doesAdvance(token)) {
                continue;
            }
            Constraint.Update u = c.update(token);
            if (u == Constraint.Update.RESET) {
                throw new IllegalStateException("Constraint " + c + " accepts token " + token
                        + " in doesAdvance() but update() does not step.");
            }
            if (u == Constraint.Update.COMPLETED) {
                complete.add(c);
                inProgress = null;
            } else {
                inProgress = c;
            }
            pending.remove(i);
            if (pending.isEmpty() && inProgress == null) {
                completed = true;
            }
            return;
        }
    }

    /** transformers' {@code copy(stateful=True)}: complete and in-progress copied with state, pending fresh. */
    HfConstraintListState copyStateful() {
        HfConstraintListState s = new HfConstraintListState(constraints);
        s.complete = new ArrayList<>(complete.size());
        for (Constraint c : complete) {
            s.complete.add(c.copy(true));
        }
        s.inProgress = inProgress == null ? null : inProgress.copy(true);
        s.pending = new ArrayList<>(pending.size());
        for (Constraint c : pending) {
            s.pending.add(c.copy(false));
        }
        return s;
    }

    static boolean completes(List<Constraint> constraints, int[] seq, int len) {
        HfConstraintListState s = new HfConstraintListState(constraints);
        s.reset(seq, len);
        return s.completed;
    }
}
