package dev.atelier.text.constraint;

import dev.atelier.AtelierException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The generated text must contain at least one of several phrases. Strict (the default): options may overlap or
 * be prefixes of each other, and the matcher is an Aho–Corasick automaton, so every occurrence of any option is
 * found. Hugging Face compatible ({@link #huggingFace(int[][])}): options may not be prefixes of each other (nor
 * repeat), completion means reaching a leaf of the trie along the current path, and a stateful copy shares its
 * path with the original, exactly as transformers 4.57's {@code DisjunctiveConstraint} does.
 */
public final class DisjunctiveConstraint implements Constraint {
    private final Trie trie;
    private final boolean hf;
    // Strict state: the automaton node; hf state: a path holder that stateful copies share.
    private int node;
    private Path path;
    private boolean completed;
    private int matchLength;

    private static final class Path {
        int node;
    }

    /** @param options the phrases, each at least one token; they may overlap or be prefixes of each other */
    public DisjunctiveConstraint(int[][] options) {
        this(new Trie(options), false);
    }

    /**
     * @param options the phrases, none a prefix of another (Hugging Face's rule)
     * @return a constraint that behaves exactly as transformers 4.57's {@code DisjunctiveConstraint}
     * @throws AtelierException if an option is a prefix of another or repeated
     */
    public static DisjunctiveConstraint huggingFace(int[][] options) {
        Trie t = new Trie(options);
        if (t.leafCount() != options.length) {
            throw AtelierException.field("mode", "In hf mode an option of a disjunctive constraint may not be a prefix of another "
                    + "option nor repeat one (Hugging Face rejects " + describe(options) + "). Remove the shorter "
                    + "option, or use {mode} strict, which allows it.");
        }
        return new DisjunctiveConstraint(t, true);
    }

    private DisjunctiveConstraint(Trie trie, boolean hf) {
        this.trie = trie;
        this.hf = hf;
        if (hf) {
            path = new Path();
        }
    }

    private static String describe(int[][] options) {
        StringBuilder sb = new StringBuilder("[");
        for (int[] o : options) {
            sb.append(sb.length() > 1 ? ", " : "").append(dev.atelier.AtelierException.excerpt(Arrays.toString(o), 80));
        }
        return sb.append(']').toString();
    }

    /** @return whether this is the Hugging Face compatible variant */
    public boolean isHuggingFace() {
        return hf;
    }

    /** @return a fresh strict (Aho–Corasick) constraint over the same options */
    public DisjunctiveConstraint strict() {
        return new DisjunctiveConstraint(trie, false);
    }

    /** @return the options' token ids (copies) */
    public int[][] options() {
        int[][] out = new int[trie.options.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = trie.options[i].clone();
        }
        return out;
    }

    private int current() {
        return hf ? path.node : node;
    }

    @Override
    public int[] advance() {
        // As in Hugging Face, the hf variant lists the trie's next tokens even after completion (a leaf has none).
        if (!hf && completed) {
            return new int[0];
        }
        return trie.childTokens[current()].clone();
    }

    @Override
    public boolean doesAdvance(int token) {
        if (!hf && completed) {
            return false;
        }
        return trie.child(current(), token) >= 0;
    }

    @Override
    public Update update(int token) {
        if (hf) {
            return updateHf(token);
        }
        if (completed) {
            return Update.COMPLETED;
        }
        int child = trie.child(node, token);
        boolean stepped = child >= 0;
        node = stepped ? child : trie.step(node, token);
        int out = trie.output[node];
        if (out >= 0) {
            completed = true;
            matchLength = trie.depth[out];
            return Update.COMPLETED;
        }
        return stepped ? Update.STEPPED : Update.RESET;
    }

    private Update updateHf(int token) {
        int child = trie.child(path.node, token);
        boolean stepped = child >= 0;
        if (stepped) {
            path.node = child; // shared with stateful copies, as Python's list.append on a shared list
        } else {
            path = new Path();
        }
        completed = trie.childTokens[path.node].length == 0;
        matchLength = trie.depth[path.node];
        if (stepped) {
            return completed ? Update.COMPLETED : Update.STEPPED;
        }
        return Update.RESET;
    }

    @Override
    public void reset() {
        completed = false;
        node = 0;
        if (hf) {
            path = new Path();
        }
    }

    @Override
    public int remaining() {
        return completed ? 0 : trie.height - trie.depth[current()];
    }

    @Override
    public int length() {
        return trie.height;
    }

    @Override
    public int minLength() {
        return trie.shortest;
    }

    @Override
    public boolean isCompleted() {
        return completed;
    }

    @Override
    public int matchLength() {
        return matchLength;
    }

    @Override
    public Constraint copy(boolean stateful) {
        DisjunctiveConstraint c = new DisjunctiveConstraint(trie, hf);
        if (stateful) {
            c.node = node;
            c.completed = completed;
            c.matchLength = matchLength;
            if (hf) {
                c.path = path;
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return "any of " + describe(trie.options);
    }

    /** A trie over the options with Aho–Corasick failure links; node 0 is the root. */
    private static final class Trie {
        final int[][] options;
        final int[][] childTokens;
        final int[][] childNodes;
        final int[] depth;
        final int[] fail;
        final int[] output; // the deepest terminal on the node's suffix chain (itself included), or -1
        final int height;
        final int shortest;

        Trie(int[][] options) {
            if (options == null || options.length == 0) {
                throw new AtelierException("A disjunctive constraint needs at least one option.");
            }
            this.options = new int[options.length][];
            List<int[]> ct = new ArrayList<>();
            List<int[]> cn = new ArrayList<>();
            List<Integer> dep = new ArrayList<>();
            List<Boolean> term = new ArrayList<>();
            ct.add(new int[0]);
            cn.add(new int[0]);
            dep.add(0);
            term.add(false);
            int h = 0;
            int s = Integer.MAX_VALUE;
            for (int i = 0; i < options.length; i++) {
                int[] o = Kmp.checkedTokens(options[i], "option " + (i + 1) + " of a disjunctive constraint");
                this.options[i] = o;
                h = Math.max(h, o.length);
                s = Math.min(s, o.length);
                int n = 0;
                for (int t : o) {
                    int c = find(ct.get(n), cn.get(n), t);
                    if (c < 0) {
                        c = ct.size();
                        ct.add(new int[0]);
                        cn.add(new int[0]);
                        dep.add(dep.get(n) + 1);
                        term.add(false);
                        ct.set(n, append(ct.get(n), t));
                        cn.set(n, append(cn.get(n), c));
                    }
                    n = c;
                }
                term.set(n, true);
            }
            height = h;
            shortest = s;
            int size = ct.size();
            childTokens = ct.toArray(new int[0][]);
            childNodes = cn.toArray(new int[0][]);
            depth = new int[size];
            for (int i = 0; i < size; i++) {
                depth[i] = dep.get(i);
            }
            fail = new int[size];
            output = new int[size];
            Arrays.fill(output, -1);
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            queue.add(0);
            while (!queue.isEmpty()) {
                int u = queue.poll();
                if (u != 0) {
                    output[u] = term.get(u) ? u : output[fail[u]];
                }
                for (int k = 0; k < childTokens[u].length; k++) {
                    int v = childNodes[u][k];
                    fail[v] = u == 0 ? 0 : step(fail[u], childTokens[u][k]);
                    queue.add(v);
                }
            }
        }

        private static int find(int[] toks, int[] nodes, int t) {
            for (int k = 0; k < toks.length; k++) {
                if (toks[k] == t) {
                    return nodes[k];
                }
            }
            return -1;
        }

        private static int[] append(int[] a, int v) {
            int[] b = Arrays.copyOf(a, a.length + 1);
            b[a.length] = v;
            return b;
        }

        int child(int n, int t) {
            return find(childTokens[n], childNodes[n], t);
        }

        /** Aho–Corasick transition: the longest suffix of (path to n) + t that is a trie path. */
        int step(int n, int t) {
            while (true) {
                int c = child(n, t);
                if (c >= 0) {
                    return c;
                }
                if (n == 0) {
                    return 0;
                }
                n = fail[n];
            }
        }

        int leafCount() {
            int leaves = 0;
            for (int[] c : childTokens) {
                if (c.length == 0) {
                    leaves++;
                }
            }
            return leaves;
        }
    }
}
