/* MsftStreamInterleave: one read-only stream that takes interleaveSizes[0]
 * bytes of stream 0, then interleaveSizes[1] bytes of stream 1, ... and
 * round again (e.g. 2352 bytes of sector data then 96 of subcode).
 *
 * Windows facts (MSDN IStreamInterleave pages, typelib helpstring "each
 * stream gets interleaveSize bytes, then cycles to the next stream"): one
 * size per stream, in bytes; E_POINTER, E_OUTOFMEMORY and E_INVALIDARG are
 * its documented failures.
 *
 * NOT VERIFIED ON WINDOWS — what happens when the streams do not hold the
 * same number of rounds. We never drop data: a stream that runs out simply
 * stops contributing (its last piece may be short) while the others go on
 * cycling, so the length is always the sum of the parts' lengths. When the
 * parts match (size_i = rounds * interleaveSizes[i] for all i) this is
 * plain interleaving. Also our choices: a zero interleave size and an empty
 * array are E_INVALIDARG, a second Initialize is E_INVALIDARG. */
#include "stream_common.h"

/* Rounds [first_round, first_round + rounds) all have the same length. */
struct round_run {
    ULONGLONG start;        /* stream offset of first_round */
    ULONGLONG first_round;
    ULONGLONG rounds;
    ULONGLONG round_len;
};

struct interleave_layout {
    LONG ref;                /* shared by clones: it never changes once built */
    ULONG count;
    IStream **streams;
    ULONG *chunk;            /* interleaveSizes */
    ULONGLONG *size;         /* each part's length, from Stat */
    ULONG run_count;
    struct round_run *runs;
    ULONGLONG total;
};

struct stream_interleave {
    struct stream_base base; /* its IStream_iface is our IStreamInterleave */
    struct interleave_layout *layout; /* NULL until Initialize */
};

static inline struct stream_interleave *impl_from_IStreamInterleave(IStreamInterleave *iface)
{
    return CONTAINING_RECORD((IStream *)iface, struct stream_interleave, base.IStream_iface);
}

static const struct stream_class stream_interleave_class;

static void layout_release(struct interleave_layout *layout)
{
    if (!layout || InterlockedDecrement(&layout->ref))
        return;
    for (ULONG i = 0; i < layout->count; i++)
        if (layout->streams[i])
            IStream_Release(layout->streams[i]);
    HeapFree(GetProcessHeap(), 0, layout->streams);
    HeapFree(GetProcessHeap(), 0, layout->chunk);
    HeapFree(GetProcessHeap(), 0, layout->size);
    HeapFree(GetProcessHeap(), 0, layout->runs);
    HeapFree(GetProcessHeap(), 0, layout);
}

/* How many rounds part i takes part in, and its piece in round r. */
static ULONGLONG part_rounds(const struct interleave_layout *l, ULONG i)
{
    return l->size[i] / l->chunk[i] + (l->size[i] % l->chunk[i] ? 1 : 0);
}

static ULONGLONG piece_len(const struct interleave_layout *l, ULONG i, ULONGLONG round)
{
    ULONGLONG offset;
    if (round >= part_rounds(l, i))
        return 0;
    offset = round * l->chunk[i];
    return l->size[i] - offset < l->chunk[i] ? l->size[i] - offset : l->chunk[i];
}

static int compare_u64(const void *a, const void *b)
{
    ULONGLONG x = *(const ULONGLONG *)a, y = *(const ULONGLONG *)b;
    return x < y ? -1 : x > y;
}

/* A round's length only changes where some part has its last (maybe
 * short) piece or has ended, so rounds split into at most 2n + 1 runs of
 * equal length; a position is then found without walking every round. */
static HRESULT layout_build_runs(struct interleave_layout *l)
{
    ULONGLONG *marks = HeapAlloc(GetProcessHeap(), 0, (2 * l->count + 1) * sizeof(*marks));
    ULONG n = 0;
    ULONGLONG start = 0;
    if (!marks)
        return E_OUTOFMEMORY;
    marks[n++] = 0;
    for (ULONG i = 0; i < l->count; i++) {
        ULONGLONG rounds = part_rounds(l, i);
        if (rounds) {
            marks[n++] = rounds - 1;
            marks[n++] = rounds;
        }
    }
    qsort(marks, n, sizeof(*marks), compare_u64);
    if (!(l->runs = HeapAlloc(GetProcessHeap(), 0, n * sizeof(*l->runs)))) {
        HeapFree(GetProcessHeap(), 0, marks);
        return E_OUTOFMEMORY;
    }
    l->run_count = 0;
    for (ULONG m = 0; m + 1 < n; m++) {
        struct round_run *run;
        ULONGLONG len = 0;
        if (marks[m] == marks[m + 1])
            continue;
        BOOL fits = TRUE;
        for (ULONG i = 0; i < l->count && fits; i++)
            fits = stream_size_add(len, piece_len(l, i, marks[m]), &len);
        run = &l->runs[l->run_count++];
        run->start = start;
        run->first_round = marks[m];
        run->rounds = marks[m + 1] - marks[m];
        run->round_len = len;
        if (!fits || !stream_size_mul(len, run->rounds, &len) || !stream_size_add(start, len, &start)) {
            HeapFree(GetProcessHeap(), 0, marks);
            return stream_size_overflow(&IID_IStreamInterleave);
        }
    }
    l->total = start;
    HeapFree(GetProcessHeap(), 0, marks);
    return S_OK;
}

/* Where stream byte pos comes from: part *part at *offset, *avail bytes of
 * that piece left. FALSE past the end. */
static BOOL layout_locate(const struct interleave_layout *l, ULONGLONG pos, ULONG *part, ULONGLONG *offset,
                          ULONGLONG *avail)
{
    for (ULONG r = 0; r < l->run_count; r++) {
        const struct round_run *run = &l->runs[r];
        ULONGLONG round, in_round;
        if (!run->round_len || pos >= run->start + run->round_len * run->rounds)
            continue;
        round = run->first_round + (pos - run->start) / run->round_len;
        in_round = (pos - run->start) % run->round_len;
        for (ULONG i = 0; i < l->count; i++) {
            ULONGLONG len = piece_len(l, i, round);
            if (in_round < len) {
                *part = i;
                *offset = round * l->chunk[i] + in_round;
                *avail = len - in_round;
                return TRUE;
            }
            in_round -= len;
        }
    }
    return FALSE;
}

STREAM_BASE_METHODS(interleave, IStreamInterleave)

static HRESULT WINAPI interleave_Initialize(IStreamInterleave *iface, IStream **streams, ULONG *sizes, ULONG count)
{
    struct stream_interleave *il = impl_from_IStreamInterleave(iface);
    struct interleave_layout *l;
    HRESULT hr = S_OK;
    TRACE("%p %p %lu\n", streams, sizes, (unsigned long)count);
    if (!streams || !sizes)
        return E_POINTER;
    if (il->layout || !count)
        return E_INVALIDARG;
    for (ULONG i = 0; i < count; i++) {
        if (!streams[i])
            return E_POINTER;
        if (!sizes[i])
            return E_INVALIDARG;
    }
    if (!(l = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*l))))
        return E_OUTOFMEMORY;
    l->ref = 1;
    l->streams = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, count * sizeof(*l->streams));
    l->chunk = HeapAlloc(GetProcessHeap(), 0, count * sizeof(*l->chunk));
    l->size = HeapAlloc(GetProcessHeap(), 0, count * sizeof(*l->size));
    if (!l->streams || !l->chunk || !l->size)
        hr = E_OUTOFMEMORY;
    for (ULONG i = 0; i < count && SUCCEEDED(hr); i++) {
        STATSTG stat;
        if (FAILED(hr = IStream_Stat(streams[i], &stat, STATFLAG_NONAME))) {
            WARN("part %lu: Stat failed %#lx\n", (unsigned long)i, (unsigned long)hr);
            break;
        }
        IStream_AddRef(streams[i]);
        l->streams[i] = streams[i];
        l->chunk[i] = sizes[i];
        l->size[i] = stat.cbSize.QuadPart;
        l->count = i + 1;
    }
    if (SUCCEEDED(hr))
        hr = layout_build_runs(l);
    if (FAILED(hr)) {
        layout_release(l);
        return hr;
    }
    il->layout = l;
    il->base.size = l->total;
    return S_OK;
}

static const IStreamInterleaveVtbl stream_interleave_vtbl = {
    STREAM_BASE_VTBL_ENTRIES(interleave),
    interleave_Initialize,
};

static HRESULT interleave_read_at(struct stream_base *s, ULONGLONG pos, BYTE *buf, ULONG len, ULONG *done)
{
    struct stream_interleave *il = CONTAINING_RECORD(s, struct stream_interleave, base);
    const struct interleave_layout *l = il->layout;
    ULONG total = 0;
    HRESULT hr = S_OK;
    while (l && total < len) {
        ULONGLONG offset, avail;
        LARGE_INTEGER move;
        ULONG part, want, got = 0;
        if (!layout_locate(l, pos + total, &part, &offset, &avail))
            break;
        want = avail < len - total ? (ULONG)avail : len - total;
        move.QuadPart = (LONGLONG)offset;
        if (FAILED(hr = IStream_Seek(l->streams[part], move, STREAM_SEEK_SET, NULL)))
            break;
        if (FAILED(hr = IStream_Read(l->streams[part], buf + total, want, &got)))
            break;
        total += got;
        if (got < want) /* a part shorter than it said: the data ends here */
            break;
    }
    *done = total;
    return total ? S_OK : hr;
}

static HRESULT interleave_clone(struct stream_base *s, IStream **out)
{
    struct stream_interleave *il = CONTAINING_RECORD(s, struct stream_interleave, base);
    struct stream_interleave *copy = stream_base_new(sizeof(*copy), &stream_interleave_class);
    if (!copy)
        return E_OUTOFMEMORY;
    if ((copy->layout = il->layout))
        InterlockedIncrement(&copy->layout->ref);
    copy->base.size = s->size;
    copy->base.pos = s->pos;
    *out = &copy->base.IStream_iface;
    return S_OK;
}

static void interleave_free_parts(struct stream_base *s)
{
    layout_release(CONTAINING_RECORD(s, struct stream_interleave, base)->layout);
}

static const struct stream_class stream_interleave_class = {
    &stream_interleave_vtbl, &IID_IStreamInterleave, FALSE, interleave_read_at, interleave_clone, interleave_free_parts
};

HRESULT stream_interleave_create(IUnknown *outer, REFIID riid, void **out)
{
    (void)outer;
    return stream_base_create(sizeof(struct stream_interleave), &stream_interleave_class, riid, out);
}
