package dev.atelier.text.hf;

/**
 * The order in which PyTorch's CPU {@code topk} and {@code sort} return equal values. Both call the C++
 * standard library (libstdc++) with a comparator on values only, so ties come out in the order its
 * {@code nth_element}, {@code partial_sort} and {@code sort} leave them; this class replays those algorithms on
 * (value, index) pairs. hf mode needs it because the toy model's probabilities tie often.
 */
final class TorchOrder {
    private final double[] v;
    private final int[] ix;
    private double tv;
    private int ti;

    private TorchOrder(float[] values) {
        int n = values.length;
        v = new double[n];
        ix = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = values[i];
            ix[i] = i;
        }
    }

    /**
     * {@code torch.topk(values, k, largest=True, sorted=True)} on CPU.
     *
     * @return the indices of the k largest values, in the order torch returns them
     */
    static int[] topk(float[] values, int k) {
        TorchOrder q = new TorchOrder(values);
        int n = values.length;
        if ((long) k * 64 <= n) {
            q.partialSort(0, k, n);
        } else {
            q.nthElement(0, k - 1, n);
            q.sort(0, k - 1);
        }
        int[] out = new int[k];
        System.arraycopy(q.ix, 0, out, 0, k);
        return out;
    }

    /**
     * {@code torch.sort(values, descending=True)} on CPU.
     *
     * @return the permutation, in the order torch returns it
     */
    static int[] sortDescending(float[] values) {
        TorchOrder q = new TorchOrder(values);
        q.sort(0, values.length);
        return q.ix;
    }

    // comp(a, b): a goes before b (NaN first, then larger values)
    private static boolean comp(double a, double b) {
        return Double.isNaN(a) && !Double.isNaN(b) || a > b;
    }

    private boolean comp(int i, int j) {
        return comp(v[i], v[j]);
    }

    private void swap(int i, int j) {
        double a = v[i];
        v[i] = v[j];
        v[j] = a;
        int b = ix[i];
        ix[i] = ix[j];
        ix[j] = b;
    }

    private void move(int to, int from) {
        v[to] = v[from];
        ix[to] = ix[from];
    }

    private void take(int from) {
        tv = v[from];
        ti = ix[from];
    }

    private void put(int to) {
        v[to] = tv;
        ix[to] = ti;
    }

    private static int lg(int n) {
        return 31 - Integer.numberOfLeadingZeros(n);
    }

    // ---- std::nth_element (introselect)

    private void nthElement(int first, int nth, int last) {
        if (first == last || nth == last) {
            return;
        }
        int depth = lg(last - first) * 2;
        while (last - first > 3) {
            if (depth == 0) {
                heapSelect(first, nth + 1, last);
                swap(first, nth);
                return;
            }
            depth--;
            int cut = unguardedPartitionPivot(first, last);
            if (cut <= nth) {
                first = cut;
            } else {
                last = cut;
            }
        }
        insertionSort(first, last);
    }

    // ---- std::sort (introsort + final insertion sort)

    private void sort(int first, int last) {
        if (last - first < 2) {
            return;
        }
        introsortLoop(first, last, lg(last - first) * 2);
        if (last - first > 16) {
            insertionSort(first, first + 16);
            for (int i = first + 16; i < last; i++) {
                unguardedLinearInsert(i);
            }
        } else {
            insertionSort(first, last);
        }
    }

    private void introsortLoop(int first, int last, int depth) {
        while (last - first > 16) {
            if (depth == 0) {
                partialSort(first, last, last);
                return;
            }
            depth--;
            int cut = unguardedPartitionPivot(first, last);
            introsortLoop(cut, last, depth);
            last = cut;
        }
    }

    private int unguardedPartitionPivot(int first, int last) {
        int mid = first + (last - first) / 2;
        moveMedianToFirst(first, first + 1, mid, last - 1);
        return unguardedPartition(first + 1, last, first);
    }

    private void moveMedianToFirst(int result, int a, int b, int c) {
        if (comp(a, b)) {
            if (comp(b, c)) {
                swap(result, b);
            } else if (comp(a, c)) {
                swap(result, c);
            } else {
                swap(result, a);
            }
        } else if (comp(a, c)) {
            swap(result, a);
        } else if (comp(b, c)) {
            swap(result, c);
        } else {
            swap(result, b);
        }
    }

    private int unguardedPartition(int first, int last, int pivot) {
        while (true) {
            while (comp(first, pivot)) {
                first++;
            }
            last--;
            while (comp(pivot, last)) {
                last--;
            }
            if (!(first < last)) {
                return first;
            }
            swap(first, last);
            first++;
        }
    }

    private void insertionSort(int first, int last) {
        if (first == last) {
            return;
        }
        for (int i = first + 1; i < last; i++) {
            if (comp(i, first)) {
                take(i);
                for (int k = i; k > first; k--) {
                    move(k, k - 1);
                }
                put(first);
            } else {
                unguardedLinearInsert(i);
            }
        }
    }

    private void unguardedLinearInsert(int last) {
        take(last);
        int next = last - 1;
        while (comp(tv, v[next])) {
            move(last, next);
            last = next;
            next--;
        }
        put(last);
    }

    // ---- heaps (std::partial_sort, std::__heap_select)

    private void partialSort(int first, int middle, int last) {
        heapSelect(first, middle, last);
        while (middle - first > 1) {
            middle--;
            popHeap(first, middle, middle);
        }
    }

    private void heapSelect(int first, int middle, int last) {
        makeHeap(first, middle);
        for (int i = middle; i < last; i++) {
            if (comp(i, first)) {
                popHeap(first, middle, i);
            }
        }
    }

    private void makeHeap(int first, int last) {
        int len = last - first;
        if (len < 2) {
            return;
        }
        int parent = (len - 2) / 2;
        while (true) {
            take(first + parent);
            adjustHeap(first, parent, len, tv, ti);
            if (parent == 0) {
                return;
            }
            parent--;
        }
    }

    private void popHeap(int first, int last, int result) {
        double val = v[result];
        int vi = ix[result];
        move(result, first);
        adjustHeap(first, 0, last - first, val, vi);
    }

    private void adjustHeap(int first, int hole, int len, double val, int vi) {
        int top = hole;
        int second = hole;
        while (second < (len - 1) / 2) {
            second = 2 * (second + 1);
            if (comp(first + second, first + second - 1)) {
                second--;
            }
            move(first + hole, first + second);
            hole = second;
        }
        if ((len & 1) == 0 && second == (len - 2) / 2) {
            second = 2 * (second + 1);
            move(first + hole, first + second - 1);
            hole = second - 1;
        }
        // __push_heap
        int parent = (hole - 1) / 2;
        while (hole > top && comp(v[first + parent], val)) {
            move(first + hole, first + parent);
            hole = parent;
            parent = (hole - 1) / 2;
        }
        v[first + hole] = val;
        ix[first + hole] = vi;
    }
}
