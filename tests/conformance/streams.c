/* The creatable stream classes (MsftStreamZero, MsftStreamPrng001,
 * MsftStreamConcatenate, MsftStreamInterleave) and our IMAPI2Open.FileStream
 * extension: every IStream method, contents, boundaries, errors.
 *
 * Marked "guess" below: behaviour no Windows source pins down (see
 * dlls/imapi2/stream_*.c); those checks say what we chose, and want running
 * against a real imapi2.dll before they are trusted as Windows facts. */
#define COBJMACROS
#include <windows.h>
#include <ole2.h>
#include <string.h>
#include "imapi2.h"
#include "okay.h"
#include "test_com.h"
#include "mmc/geometry.h"

static IStream *create_stream(const CLSID *clsid, const IID *iid)
{
    IStream *s = NULL;
    HRESULT hr = CoCreateInstance(clsid, NULL, CLSCTX_INPROC_SERVER, iid, (void **)&s);
    ok(hr == S_OK && s, "CoCreateInstance got %#lx\n", hr);
    return s;
}

static ULONGLONG tell(IStream *s)
{
    ULARGE_INTEGER pos = uli(~0ull);
    HRESULT hr = IStream_Seek(s, li(0), STREAM_SEEK_CUR, &pos);
    ok(hr == S_OK, "Seek(CUR, 0) got %#lx\n", hr);
    return pos.QuadPart;
}

static ULONGLONG stat_size(IStream *s)
{
    STATSTG st;
    HRESULT hr;
    memset(&st, 0xcc, sizeof(st));
    hr = IStream_Stat(s, &st, STATFLAG_NONAME);
    ok(hr == S_OK, "Stat got %#lx\n", hr);
    ok(st.type == STGTY_STREAM, "type %lu\n", st.type);
    return hr == S_OK ? st.cbSize.QuadPart : ~0ull;
}

static void seek_to(IStream *s, ULONGLONG pos)
{
    HRESULT hr = IStream_Seek(s, li((LONGLONG)pos), STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Seek(SET, %I64u) got %#lx\n", pos, hr);
}

/* A memory stream with the given bytes, positioned at its end (the stream
 * objects must seek their parts themselves). */
static IStream *memory_stream(const BYTE *data, ULONG len)
{
    IStream *s = NULL;
    ULONG written = 0;
    HRESULT hr = CreateStreamOnHGlobal(NULL, TRUE, &s);
    ok(hr == S_OK, "CreateStreamOnHGlobal got %#lx\n", hr);
    if (len) {
        hr = IStream_Write(s, data, len, &written);
        ok(hr == S_OK && written == len, "Write got %#lx %lu\n", hr, written);
    }
    return s;
}

/* ------------------------------------------------------------ creation */

static void test_creation(void)
{
    static const struct { const WCHAR *progid; const CLSID *clsid; const IID *iid; } classes[] = {
        { L"IMAPI2.MsftStreamZero.1", &CLSID_MsftStreamZero, &IID_IStream },
        { L"IMAPI2.MsftStreamPrng001.1", &CLSID_MsftStreamPrng001, &IID_IStreamPseudoRandomBased },
        { L"IMAPI2.MsftStreamConcatenate.1", &CLSID_MsftStreamConcatenate, &IID_IStreamConcatenate },
        { L"IMAPI2.MsftStreamInterleave.1", &CLSID_MsftStreamInterleave, &IID_IStreamInterleave },
    };
    for (unsigned i = 0; i < ARRAYSIZE(classes); i++) {
        CLSID clsid;
        IUnknown *unk = NULL, *other = NULL;
        HRESULT hr = CLSIDFromProgID(classes[i].progid, &clsid);
        ok(hr == S_OK && IsEqualGUID(&clsid, classes[i].clsid), "CLSIDFromProgID(%ls) got %#lx\n",
           classes[i].progid, hr);
        hr = CoCreateInstance(classes[i].clsid, NULL, CLSCTX_INPROC_SERVER, &IID_IUnknown, (void **)&unk);
        ok(hr == S_OK, "%ls: create got %#lx\n", classes[i].progid, hr);
        if (!unk)
            continue;
        hr = IUnknown_QueryInterface(unk, classes[i].iid, (void **)&other);
        ok(hr == S_OK, "%ls: own interface got %#lx\n", classes[i].progid, hr);
        if (other)
            IUnknown_Release(other);
        hr = IUnknown_QueryInterface(unk, &IID_IStream, (void **)&other);
        ok(hr == S_OK && other, "%ls: IStream got %#lx\n", classes[i].progid, hr);
        if (other)
            IUnknown_Release(other);
        hr = IUnknown_QueryInterface(unk, &IID_ISequentialStream, (void **)&other);
        ok(hr == S_OK && other, "%ls: ISequentialStream got %#lx\n", classes[i].progid, hr);
        if (other)
            IUnknown_Release(other);
        /* The typelib's coclasses list only the stream interfaces. */
        other = (IUnknown *)0xdeadbeef;
        hr = IUnknown_QueryInterface(unk, &IID_IDispatch, (void **)&other);
        ok(hr == E_NOINTERFACE && !other, "%ls: IDispatch got %#lx\n", classes[i].progid, hr);
        IUnknown_Release(unk);

        hr = CoCreateInstance(classes[i].clsid, (IUnknown *)0xdeadbeef, CLSCTX_INPROC_SERVER, &IID_IUnknown,
                              (void **)&unk);
        ok(hr == CLASS_E_NOAGGREGATION, "%ls: aggregation got %#lx\n", classes[i].progid, hr);
    }
    /* Windows registers no version-independent ProgIDs for these. */
    {
        CLSID clsid;
        HRESULT hr = CLSIDFromProgID(L"IMAPI2.MsftStreamZero", &clsid);
        ok(hr == CO_E_CLASSSTRING, "version-independent ProgID got %#lx\n", hr);
    }
}

/* ------------------------------------------------------------- zero */

static void test_zero(void)
{
    IStream *s = create_stream(&CLSID_MsftStreamZero, &IID_IStream), *clone = NULL, *mem;
    BYTE buf[5000];
    ULONG got;
    ULARGE_INTEGER pos, read, written;
    STATSTG st;
    HRESULT hr;
    BOOL zeros;
    if (!s)
        return;

    /* Empty until SetSize (MSDN: the size must be set). */
    ok(stat_size(s) == 0, "fresh size\n");
    got = 123;
    hr = IStream_Read(s, buf, sizeof(buf), &got);
    ok(hr == S_OK && got == 0, "Read of empty got %#lx %lu\n", hr, got);

    hr = IStream_SetSize(s, uli(10000));
    ok(hr == S_OK, "SetSize got %#lx\n", hr);
    ok(stat_size(s) == 10000, "size after SetSize\n");
    ok(tell(s) == 0, "SetSize moved the pointer\n");

    memset(buf, 0xcc, sizeof(buf));
    hr = IStream_Read(s, buf, sizeof(buf), &got);
    ok(hr == S_OK && got == sizeof(buf), "Read got %#lx %lu\n", hr, got);
    zeros = TRUE;
    for (unsigned i = 0; i < sizeof(buf); i++)
        zeros &= !buf[i];
    ok(zeros, "not all zeros\n");
    ok(tell(s) == 5000, "pointer after Read\n");
    hr = IStream_Read(s, buf, 100, NULL); /* pcbRead is optional */
    ok(hr == S_OK, "Read without count got %#lx\n", hr);
    ok(tell(s) == 5100, "pointer after Read without count\n");

    /* Reading across the end gives what is left; at the end, nothing. */
    hr = IStream_Seek(s, li(-10), STREAM_SEEK_END, &pos);
    ok(hr == S_OK && pos.QuadPart == 9990, "Seek(END, -10) got %#lx %I64u\n", hr, pos.QuadPart);
    hr = IStream_Read(s, buf, 100, &got);
    ok(hr == S_OK && got == 10, "Read across end got %#lx %lu\n", hr, got);
    hr = IStream_Read(s, buf, 100, &got);
    ok(hr == S_OK && got == 0, "Read at end got %#lx %lu\n", hr, got);
    /* Seeking past the end is allowed; reading there gives nothing. */
    hr = IStream_Seek(s, li(50000), STREAM_SEEK_SET, &pos);
    ok(hr == S_OK && pos.QuadPart == 50000, "Seek past end got %#lx\n", hr);
    hr = IStream_Read(s, buf, 100, &got);
    ok(hr == S_OK && got == 0, "Read past end got %#lx %lu\n", hr, got);

    /* Seek arithmetic and errors. */
    seek_to(s, 100);
    hr = IStream_Seek(s, li(-30), STREAM_SEEK_CUR, &pos);
    ok(hr == S_OK && pos.QuadPart == 70, "Seek(CUR, -30) got %#lx %I64u\n", hr, pos.QuadPart);
    pos.QuadPart = 77;
    hr = IStream_Seek(s, li(-71), STREAM_SEEK_CUR, &pos);
    ok(hr == STG_E_INVALIDFUNCTION, "Seek before start got %#lx\n", hr);
    ok(pos.QuadPart == 77, "failed Seek wrote the position\n");
    ok(tell(s) == 70, "failed Seek moved the pointer\n");
    hr = IStream_Seek(s, li(-10001), STREAM_SEEK_END, NULL);
    ok(hr == STG_E_INVALIDFUNCTION, "Seek(END, -size-1) got %#lx\n", hr);
    hr = IStream_Seek(s, li(-1), STREAM_SEEK_SET, NULL);
    ok(hr == STG_E_INVALIDFUNCTION, "Seek(SET, -1) got %#lx\n", hr);
    hr = IStream_Seek(s, li(0), 3, NULL);
    ok(hr == STG_E_INVALIDFUNCTION, "Seek with origin 3 got %#lx\n", hr);
    ok(tell(s) == 70, "bad Seek moved the pointer\n");
    hr = IStream_Seek(s, li(0), STREAM_SEEK_END, &pos);
    ok(hr == S_OK && pos.QuadPart == 10000, "Seek(END, 0) got %#lx\n", hr);

    /* Shrinking leaves the pointer alone. */
    hr = IStream_SetSize(s, uli(3000));
    ok(hr == S_OK && stat_size(s) == 3000, "shrink got %#lx\n", hr);
    ok(tell(s) == 10000, "shrink moved the pointer\n");

    /* Read-only. guess: STG_E_ACCESSDENIED, as the IStream contract names it. */
    seek_to(s, 0);
    written.QuadPart = 0;
    got = 55;
    hr = IStream_Write(s, buf, 10, &got);
    ok(hr == STG_E_ACCESSDENIED && got == 0, "Write got %#lx %lu\n", hr, got);
    ok(stat_size(s) == 3000 && tell(s) == 0, "Write changed the stream\n");

    /* Bad pointers. */
    ok(IStream_Read(s, NULL, 10, &got) == STG_E_INVALIDPOINTER, "Read(NULL)\n");
    ok(IStream_Write(s, NULL, 10, &got) == STG_E_INVALIDPOINTER, "Write(NULL)\n");
    ok(IStream_Stat(s, NULL, STATFLAG_DEFAULT) == STG_E_INVALIDPOINTER, "Stat(NULL)\n");
    ok(IStream_Clone(s, NULL) == STG_E_INVALIDPOINTER, "Clone(NULL)\n");
    ok(IStream_CopyTo(s, NULL, uli(10), NULL, NULL) == STG_E_INVALIDPOINTER, "CopyTo(NULL)\n");
    ok(IStream_QueryInterface(s, &IID_IStream, NULL) == E_POINTER, "QueryInterface(NULL)\n");

    /* Stat. */
    memset(&st, 0xcc, sizeof(st));
    hr = IStream_Stat(s, &st, STATFLAG_DEFAULT);
    ok(hr == S_OK, "Stat got %#lx\n", hr);
    ok(st.type == STGTY_STREAM && st.cbSize.QuadPart == 3000, "Stat type %lu size %I64u\n", st.type,
       st.cbSize.QuadPart);
    ok(st.pwcsName == NULL, "Stat name %p\n", st.pwcsName);
    CoTaskMemFree(st.pwcsName);
    hr = IStream_Stat(s, &st, 0x10);
    ok(hr == STG_E_INVALIDFLAG, "Stat with bad flag got %#lx\n", hr);

    /* Transactions and locks: nothing to commit; no locking. */
    ok(IStream_Commit(s, STGC_DEFAULT) == S_OK, "Commit\n");
    ok(IStream_Revert(s) == S_OK, "Revert\n");
    hr = IStream_LockRegion(s, uli(0), uli(10), LOCK_WRITE);
    ok(hr == STG_E_INVALIDFUNCTION, "LockRegion got %#lx\n", hr);
    hr = IStream_UnlockRegion(s, uli(0), uli(10), LOCK_WRITE);
    ok(hr == STG_E_INVALIDFUNCTION, "UnlockRegion got %#lx\n", hr);

    /* Clone: same size and pointer, then independent. */
    seek_to(s, 123);
    hr = IStream_Clone(s, &clone);
    ok(hr == S_OK && clone, "Clone got %#lx\n", hr);
    if (clone) {
        ok(tell(clone) == 123, "clone pointer\n");
        ok(stat_size(clone) == 3000, "clone size\n");
        seek_to(clone, 7);
        ok(tell(s) == 123, "clone's Seek moved the original\n");
        hr = IStream_SetSize(clone, uli(99));
        ok(hr == S_OK && stat_size(s) == 3000, "clone's SetSize resized the original\n");
        IStream_Release(clone);
    }

    /* CopyTo copies from the pointer on, up to the end. */
    mem = memory_stream(NULL, 0);
    seek_to(s, 2990);
    read.QuadPart = written.QuadPart = 99;
    hr = IStream_CopyTo(s, mem, uli(100), &read, &written);
    ok(hr == S_OK && read.QuadPart == 10 && written.QuadPart == 10, "CopyTo got %#lx %I64u %I64u\n", hr,
       read.QuadPart, written.QuadPart);
    ok(stat_size(mem) == 10, "CopyTo target size\n");
    IStream_Release(mem);

    ok(IStream_Release(s) == 0, "references left\n");
}

/* ------------------------------------------------------------- PRNG */

/* The test's own, step-by-step model of the generator (see stream_prng.c
 * for which reading of the LCG this is: a guess to check on Windows). */
static ULONG lcg_next(ULONG x) { return x * 0x19660Du + 0x3C6EF35Fu; }

static void lcg_bytes(ULONG seed, ULONGLONG offset, BYTE *out, ULONG len)
{
    ULONG state = seed;
    ULONGLONG word = offset / 4;
    for (ULONGLONG i = 0; i <= word; i++)
        state = lcg_next(state);
    for (ULONG i = 0, b = offset % 4; i < len; i++) {
        out[i] = (BYTE)(state >> (8 * b));
        if (++b == 4) {
            b = 0;
            state = lcg_next(state);
        }
    }
}

static void test_prng(void)
{
    IStreamPseudoRandomBased *p =
        (IStreamPseudoRandomBased *)create_stream(&CLSID_MsftStreamPrng001, &IID_IStreamPseudoRandomBased);
    IStream *s, *clone = NULL;
    BYTE buf[1000], want[1000];
    ULONG seed = 0xdead, got, *values = (ULONG *)0xdeadbeef, count = 99;
    HRESULT hr;
    if (!p)
        return;
    s = (IStream *)p;

    hr = IStreamPseudoRandomBased_get_Seed(p, &seed);
    ok(hr == S_OK && seed == 0, "fresh Seed got %#lx %#lx (guess: 0)\n", hr, seed);
    ok(IStreamPseudoRandomBased_get_Seed(p, NULL) == E_POINTER, "get_Seed(NULL)\n");
    ok(stat_size(s) == 0, "fresh size\n");

    /* MSDN: the ExtendedSeed pair is not implemented. */
    hr = IStreamPseudoRandomBased_put_ExtendedSeed(p, &seed, 1);
    ok(hr == E_NOTIMPL, "put_ExtendedSeed got %#lx\n", hr);
    hr = IStreamPseudoRandomBased_get_ExtendedSeed(p, &values, &count);
    ok(hr == E_NOTIMPL, "get_ExtendedSeed got %#lx\n", hr);

    hr = IStream_SetSize(s, uli(1ull << 41));
    ok(hr == S_OK, "SetSize got %#lx\n", hr);

    /* Seed 0: the first word is the increment itself, little-endian. */
    hr = IStream_Read(s, buf, 8, &got);
    ok(hr == S_OK && got == 8, "Read got %#lx %lu\n", hr, got);
    ok(buf[0] == 0x5f && buf[1] == 0xf3 && buf[2] == 0x6e && buf[3] == 0x3c, "first word %02x %02x %02x %02x\n",
       buf[0], buf[1], buf[2], buf[3]);
    lcg_bytes(0, 0, want, 8);
    ok(!memcmp(buf, want, 8), "second word differs\n");

    /* put_Seed seeds and rewinds (MSDN). */
    seek_to(s, 500);
    hr = IStreamPseudoRandomBased_put_Seed(p, 0x12345678);
    ok(hr == S_OK, "put_Seed got %#lx\n", hr);
    ok(tell(s) == 0, "put_Seed did not rewind\n");
    hr = IStreamPseudoRandomBased_get_Seed(p, &seed);
    ok(hr == S_OK && seed == 0x12345678, "Seed got %#lx\n", seed);
    ok(stat_size(s) == 1ull << 41, "put_Seed changed the size\n");

    hr = IStream_Read(s, buf, sizeof(buf), &got);
    ok(hr == S_OK && got == sizeof(buf), "Read got %#lx %lu\n", hr, got);
    lcg_bytes(0x12345678, 0, want, sizeof(want));
    ok(!memcmp(buf, want, sizeof(buf)), "bytes 0..999 differ\n");

    /* Unaligned offsets, read in odd pieces, give the same bytes. */
    seek_to(s, 333);
    hr = IStream_Read(s, buf, 3, &got);
    ok(hr == S_OK && got == 3, "Read got %#lx\n", hr);
    hr = IStream_Read(s, buf + 3, 50, &got);
    ok(hr == S_OK && got == 50, "Read got %#lx\n", hr);
    ok(!memcmp(buf, want + 333, 53), "bytes at 333 differ\n");

    /* Far away: the skip-ahead must agree with plain stepping. */
    seek_to(s, 40000003);
    hr = IStream_Read(s, buf, 17, &got);
    ok(hr == S_OK && got == 17, "Read got %#lx\n", hr);
    lcg_bytes(0x12345678, 40000003, want, 17);
    ok(!memcmp(buf, want, 17), "bytes at 40000003 differ\n");

    /* The end of a huge stream. */
    hr = IStream_Seek(s, li(-6), STREAM_SEEK_END, NULL);
    ok(hr == S_OK, "Seek got %#lx\n", hr);
    hr = IStream_Read(s, buf, 100, &got);
    ok(hr == S_OK && got == 6, "Read at end got %#lx %lu\n", hr, got);

    /* Clone: same seed, size and pointer; bytes equal; then independent. */
    seek_to(s, 1001);
    hr = IStream_Clone(s, &clone);
    ok(hr == S_OK && clone, "Clone got %#lx\n", hr);
    if (clone) {
        IStreamPseudoRandomBased *pc = NULL;
        hr = IStream_QueryInterface(clone, &IID_IStreamPseudoRandomBased, (void **)&pc);
        ok(hr == S_OK, "clone's interface got %#lx\n", hr);
        ok(tell(clone) == 1001, "clone pointer\n");
        hr = IStream_Read(clone, buf, 9, &got);
        lcg_bytes(0x12345678, 1001, want, 9);
        ok(hr == S_OK && got == 9 && !memcmp(buf, want, 9), "clone bytes differ\n");
        if (pc) {
            hr = IStreamPseudoRandomBased_put_Seed(pc, 7);
            ok(hr == S_OK, "put_Seed on clone got %#lx\n", hr);
            hr = IStreamPseudoRandomBased_get_Seed(p, &seed);
            ok(seed == 0x12345678, "clone's put_Seed reached the original\n");
            IStreamPseudoRandomBased_Release(pc);
        }
        ok(tell(s) == 1001, "clone moved the original\n");
        IStream_Release(clone);
    }

    hr = IStream_Write(s, buf, 4, &got);
    ok(hr == STG_E_ACCESSDENIED, "Write got %#lx\n", hr);
    ok(IStreamPseudoRandomBased_Release(p) == 0, "references left\n");
}

/* ------------------------------------------------------ concatenate */

static void check_content(IStream *s, const BYTE *want, ULONG len, const char *what)
{
    BYTE buf[256];
    ULONG got;
    HRESULT hr;
    /* whole, from the start */
    seek_to(s, 0);
    memset(buf, 0xcc, sizeof(buf));
    hr = IStream_Read(s, buf, sizeof(buf), &got);
    ok(hr == S_OK && got == len && !memcmp(buf, want, len), "%s: whole read got %#lx %lu\n", what, hr, got);
    /* every start, every length up to 7: crosses every boundary */
    for (ULONG start = 0; start < len; start++)
        for (ULONG n = 1; n <= 7; n++) {
            ULONG expect = start + n <= len ? n : len - start;
            got = 0;
            hr = IStream_Seek(s, li(start), STREAM_SEEK_SET, NULL);
            if (hr == S_OK)
                hr = IStream_Read(s, buf, n, &got);
            if (!ok(hr == S_OK && got == expect && !memcmp(buf, want + start, expect),
                    "%s: read %lu at %lu got %#lx %lu\n", what, n, start, hr, got))
                return;
        }
}

static void test_concatenate(void)
{
    static const BYTE a[10] = "ABCDEFGHIJ", c[7] = "1234567";
    BYTE want[64];
    IStreamConcatenate *cat = (IStreamConcatenate *)create_stream(&CLSID_MsftStreamConcatenate,
                                                                  &IID_IStreamConcatenate);
    IStream *s = (IStream *)cat, *sa, *sb, *sc, *zero, *clone = NULL, *list[3];
    ULONG got;
    BYTE buf[16];
    HRESULT hr;
    if (!cat)
        return;
    sa = memory_stream(a, sizeof(a));
    sb = memory_stream(NULL, 0);
    sc = memory_stream(c, sizeof(c));

    ok(stat_size(s) == 0, "fresh size\n");
    hr = IStream_Read(s, buf, 4, &got);
    ok(hr == S_OK && got == 0, "Read before Initialize got %#lx %lu\n", hr, got);
    hr = IStreamConcatenate_Append(cat, sa);
    ok(hr == E_UNEXPECTED, "Append before Initialize got %#lx (guess)\n", hr);
    hr = IStreamConcatenate_Append2(cat, &sa, 1);
    ok(hr == E_UNEXPECTED, "Append2 before Initialize got %#lx (guess)\n", hr);

    ok(IStreamConcatenate_Initialize(cat, NULL, sb) == E_POINTER, "Initialize(NULL, s)\n");
    ok(IStreamConcatenate_Initialize(cat, sa, NULL) == E_POINTER, "Initialize(s, NULL)\n");
    ok(IStreamConcatenate_Initialize2(cat, NULL, 2) == E_POINTER, "Initialize2(NULL)\n");

    hr = IStreamConcatenate_Initialize(cat, sa, sb);
    ok(hr == S_OK, "Initialize got %#lx\n", hr);
    ok(stat_size(s) == 10, "size after Initialize\n");
    hr = IStreamConcatenate_Initialize(cat, sa, sb);
    ok(hr == E_INVALIDARG, "second Initialize got %#lx\n", hr);
    list[0] = sc;
    hr = IStreamConcatenate_Initialize2(cat, list, 1);
    ok(hr == E_INVALIDARG, "Initialize2 after Initialize got %#lx\n", hr);

    hr = IStreamConcatenate_Append(cat, sc);
    ok(hr == S_OK, "Append got %#lx\n", hr);
    ok(stat_size(s) == 17, "size after Append\n");
    memcpy(want, a, 10);
    memcpy(want + 10, c, 7);
    check_content(s, want, 17, "a+b+c");

    /* The parts are held: our references can go. */
    ok(IStream_Release(sb) > 0, "empty part not held\n");
    ok(IStreamConcatenate_Append(cat, NULL) == E_POINTER, "Append(NULL)\n");
    ok(IStreamConcatenate_Append2(cat, NULL, 1) == E_POINTER, "Append2(NULL)\n");
    list[0] = sa;
    list[1] = NULL;
    hr = IStreamConcatenate_Append2(cat, list, 2);
    ok(hr == E_POINTER, "Append2 with a NULL element got %#lx\n", hr);
    ok(stat_size(s) == 17, "failed Append2 changed the size\n");

    /* Append2 with a zero stream and the first part again. */
    zero = create_stream(&CLSID_MsftStreamZero, &IID_IStream);
    if (zero) {
        IStream_SetSize(zero, uli(5));
        list[0] = zero;
        list[1] = sa;
        hr = IStreamConcatenate_Append2(cat, list, 2);
        ok(hr == S_OK, "Append2 got %#lx\n", hr);
        IStream_Release(zero);
        ok(stat_size(s) == 32, "size after Append2 %I64u\n", stat_size(s));
        memset(want + 17, 0, 5);
        memcpy(want + 22, a, 10);
        check_content(s, want, 32, "a+b+c+zero+a");
    }

    /* Clone: same content and pointer; its own list afterwards. */
    seek_to(s, 12);
    hr = IStream_Clone(s, &clone);
    ok(hr == S_OK && clone, "Clone got %#lx\n", hr);
    if (clone) {
        IStreamConcatenate *cc = NULL;
        ok(tell(clone) == 12, "clone pointer\n");
        hr = IStream_Read(clone, buf, 8, &got);
        ok(hr == S_OK && got == 8 && !memcmp(buf, want + 12, 8), "clone read got %#lx %lu\n", hr, got);
        ok(tell(s) == 12, "clone's Read moved the original\n");
        hr = IStream_QueryInterface(clone, &IID_IStreamConcatenate, (void **)&cc);
        ok(hr == S_OK, "clone's interface got %#lx\n", hr);
        if (cc) {
            hr = IStreamConcatenate_Append(cc, sc);
            ok(hr == S_OK, "Append on clone got %#lx\n", hr);
            ok(stat_size(clone) == 39 && stat_size(s) == 32, "clone's Append reached the original\n");
            IStreamConcatenate_Release(cc);
        }
        IStream_Release(clone);
    }

    /* Read-only, fixed size. */
    hr = IStream_Write(s, buf, 4, &got);
    ok(hr == STG_E_ACCESSDENIED, "Write got %#lx\n", hr);
    hr = IStream_SetSize(s, uli(5));
    ok(hr == STG_E_ACCESSDENIED, "SetSize got %#lx (guess)\n", hr);
    hr = IStream_Seek(s, li(-3), STREAM_SEEK_END, NULL);
    ok(hr == S_OK, "Seek got %#lx\n", hr);
    hr = IStream_Read(s, buf, 10, &got);
    ok(hr == S_OK && got == 3 && !memcmp(buf, a + 7, 3), "tail read got %#lx %lu\n", hr, got);

    ok(IStreamConcatenate_Release(cat) == 0, "references left\n");
    IStream_Release(sa);
    IStream_Release(sc);

    /* Initialize2 on a fresh object; an empty array is refused. */
    cat = (IStreamConcatenate *)create_stream(&CLSID_MsftStreamConcatenate, &IID_IStreamConcatenate);
    if (cat) {
        sa = memory_stream(a, 3);
        sc = memory_stream(c, 4);
        list[0] = sc;
        list[1] = sa;
        list[2] = sc;
        hr = IStreamConcatenate_Initialize2(cat, list, 0);
        ok(hr == E_INVALIDARG, "Initialize2 of none got %#lx (guess)\n", hr);
        hr = IStreamConcatenate_Initialize2(cat, list, 3);
        ok(hr == S_OK, "Initialize2 got %#lx\n", hr);
        memcpy(want, c, 4);
        memcpy(want + 4, a, 3);
        memcpy(want + 7, c, 4);
        check_content((IStream *)cat, want, 11, "c+a+c");
        IStreamConcatenate_Release(cat);
        IStream_Release(sa);
        IStream_Release(sc);
    }
}

/* ------------------------------------------------------- interleave */

/* The expected interleave, by simulation: cycle the parts, each giving up
 * to its chunk until all are used up. */
static ULONG model_interleave(const BYTE *const *data, const ULONG *lens, const ULONG *chunks, ULONG n, BYTE *out)
{
    ULONG used[8] = { 0 }, total = 0, left = 0;
    for (ULONG i = 0; i < n; i++)
        left += lens[i];
    while (left)
        for (ULONG i = 0; i < n; i++) {
            ULONG take = lens[i] - used[i] < chunks[i] ? lens[i] - used[i] : chunks[i];
            memcpy(out + total, data[i] + used[i], take);
            used[i] += take;
            total += take;
            left -= take;
        }
    return total;
}

static void test_interleave_case(const char *what, const ULONG *lens, const ULONG *chunks, ULONG n)
{
    static const BYTE pattern[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const BYTE *data[8];
    IStream *parts[8];
    BYTE want[256];
    ULONG total;
    IStreamInterleave *il = (IStreamInterleave *)create_stream(&CLSID_MsftStreamInterleave, &IID_IStreamInterleave);
    HRESULT hr;
    if (!il)
        return;
    for (ULONG i = 0; i < n; i++) {
        data[i] = pattern + 10 * i; /* different bytes per part */
        parts[i] = memory_stream(data[i], lens[i]);
    }
    total = model_interleave(data, lens, chunks, n, want);
    hr = IStreamInterleave_Initialize(il, parts, (ULONG *)chunks, n);
    ok(hr == S_OK, "%s: Initialize got %#lx\n", what, hr);
    for (ULONG i = 0; i < n; i++)
        IStream_Release(parts[i]);
    ok(stat_size((IStream *)il) == total, "%s: size\n", what);
    check_content((IStream *)il, want, total, what);
    ok(IStreamInterleave_Release(il) == 0, "%s: references left\n", what);
}

static void test_interleave(void)
{
    static const ULONG even_lens[] = { 12, 6 }, even_chunks[] = { 4, 2 };
    static const ULONG odd_lens[] = { 10, 2, 9 }, odd_chunks[] = { 4, 2, 3 };
    static const ULONG gap_lens[] = { 0, 5, 3 }, gap_chunks[] = { 2, 1, 5 };
    static const BYTE a[12] = "ABCDEFGHIJKL", b[6] = "123456";
    static const BYTE even_want[18] = "ABCD12EFGH34IJKL56";
    IStreamInterleave *il = (IStreamInterleave *)create_stream(&CLSID_MsftStreamInterleave, &IID_IStreamInterleave);
    IStream *parts[2], *clone = NULL;
    ULONG sizes[2] = { 4, 2 }, bad_sizes[2] = { 4, 0 }, got;
    BYTE buf[32];
    HRESULT hr;
    if (!il)
        return;
    parts[0] = memory_stream(a, sizeof(a));
    parts[1] = memory_stream(b, sizeof(b));

    ok(stat_size((IStream *)il) == 0, "fresh size\n");
    ok(IStreamInterleave_Initialize(il, NULL, sizes, 2) == E_POINTER, "Initialize(NULL streams)\n");
    ok(IStreamInterleave_Initialize(il, parts, NULL, 2) == E_POINTER, "Initialize(NULL sizes)\n");
    hr = IStreamInterleave_Initialize(il, parts, sizes, 0);
    ok(hr == E_INVALIDARG, "Initialize of none got %#lx (guess)\n", hr);
    hr = IStreamInterleave_Initialize(il, parts, bad_sizes, 2);
    ok(hr == E_INVALIDARG, "zero interleave size got %#lx (guess)\n", hr);

    hr = IStreamInterleave_Initialize(il, parts, sizes, 2);
    ok(hr == S_OK, "Initialize got %#lx\n", hr);
    ok(stat_size((IStream *)il) == 18, "size\n");
    hr = IStream_Read((IStream *)il, buf, sizeof(buf), &got);
    ok(hr == S_OK && got == 18 && !memcmp(buf, even_want, 18), "content got %#lx %lu %.18s\n", hr, got, buf);
    hr = IStreamInterleave_Initialize(il, parts, sizes, 2);
    ok(hr == E_INVALIDARG, "second Initialize got %#lx (guess)\n", hr);

    seek_to((IStream *)il, 5);
    hr = IStream_Clone((IStream *)il, &clone);
    ok(hr == S_OK && clone, "Clone got %#lx\n", hr);
    if (clone) {
        ok(tell(clone) == 5, "clone pointer\n");
        hr = IStream_Read(clone, buf, 6, &got);
        ok(hr == S_OK && got == 6 && !memcmp(buf, even_want + 5, 6), "clone read got %#lx %lu\n", hr, got);
        ok(tell((IStream *)il) == 5, "clone moved the original\n");
        IStream_Release(clone);
    }
    hr = IStream_Write((IStream *)il, buf, 1, &got);
    ok(hr == STG_E_ACCESSDENIED, "Write got %#lx\n", hr);
    ok(IStreamInterleave_Release(il) == 0, "references left\n");
    IStream_Release(parts[0]);
    IStream_Release(parts[1]);

    test_interleave_case("even", even_lens, even_chunks, 2);
    /* guess: parts that run out early stop contributing; nothing is lost. */
    test_interleave_case("uneven", odd_lens, odd_chunks, 3);
    test_interleave_case("empty part", gap_lens, gap_chunks, 3);
}

/* ------------------------------------------ extension: file streams */

static BOOL write_file(const WCHAR *path, const void *data, DWORD len)
{
    HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD done = 0;
    BOOL ret;
    if (h == INVALID_HANDLE_VALUE)
        return FALSE;
    ret = WriteFile(h, data, len, &done, NULL) && done == len;
    CloseHandle(h);
    return ret;
}

static void put16(BYTE *p, unsigned v) { p[0] = (BYTE)v; p[1] = (BYTE)(v >> 8); }
static void put32(BYTE *p, ULONG v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }

/* A WAV file: RIFF header, fmt, an odd-sized LIST chunk (padded), data. */
static DWORD make_wave(BYTE *out, unsigned channels, ULONG rate, unsigned bits, ULONG data_len, ULONG data_field)
{
    BYTE *p = out;
    memcpy(p, "RIFF", 4); p += 8; memcpy(p, "WAVE", 4); p += 4;
    memcpy(p, "fmt ", 4); put32(p + 4, 16); p += 8;
    put16(p, 1); put16(p + 2, channels); put32(p + 4, rate); put32(p + 8, rate * channels * bits / 8);
    put16(p + 12, channels * bits / 8); put16(p + 14, bits); p += 16;
    memcpy(p, "LIST", 4); put32(p + 4, 3); memcpy(p + 8, "abc", 4); p += 12;
    memcpy(p, "data", 4); put32(p + 4, data_field); p += 8;
    for (ULONG i = 0; i < data_len; i++)
        *p++ = (BYTE)(i * 7 + 1);
    put32(out + 4, (ULONG)(p - out) - 8);
    return (DWORD)(p - out);
}

static void test_file_stream(void)
{
    static BYTE file_data[5000], wave[8192], buf[8192];
    IImapi2OpenFileStreamOpener *opener = NULL;
    IStream *s = NULL, *clone = NULL;
    WCHAR dir[MAX_PATH], path[MAX_PATH], wav_path[MAX_PATH], missing[MAX_PATH];
    CLSID clsid;
    STATSTG st;
    DOUBLE size;
    DWORD len;
    ULONG got;
    HRESULT hr;
    BSTR bpath;

    hr = CLSIDFromProgID(L"IMAPI2Open.FileStream", &clsid);
    ok(hr == S_OK && IsEqualGUID(&clsid, &CLSID_Imapi2OpenFileStream), "ProgID got %#lx\n", hr);
    hr = CLSIDFromProgID(L"IMAPI2Open.FileStream.1", &clsid);
    ok(hr == S_OK && IsEqualGUID(&clsid, &CLSID_Imapi2OpenFileStream), "versioned ProgID got %#lx\n", hr);
    hr = CoCreateInstance(&CLSID_Imapi2OpenFileStream, NULL, CLSCTX_INPROC_SERVER, &IID_IImapi2OpenFileStreamOpener,
                          (void **)&opener);
    ok(hr == S_OK && opener, "create got %#lx\n", hr);
    if (!opener)
        return;

    GetTempPathW(ARRAYSIZE(dir), dir);
    GetTempFileNameW(dir, L"ist", 0, path);
    GetTempFileNameW(dir, L"isw", 0, wav_path);
    swprintf(missing, ARRAYSIZE(missing), L"%lsimapi2-streams-no-such-file.bin", dir);
    for (unsigned i = 0; i < sizeof(file_data); i++)
        file_data[i] = (BYTE)(i * 13 + i / 256);
    ok(write_file(path, file_data, sizeof(file_data)), "cannot write %ls\n", path);

    /* OpenFile: the whole file. */
    bpath = SysAllocString(path);
    hr = IImapi2OpenFileStreamOpener_OpenFile(opener, bpath, &s);
    ok(hr == S_OK && s, "OpenFile got %#lx\n", hr);
    if (s) {
        ok(stat_size(s) == sizeof(file_data), "file size\n");
        memset(&st, 0, sizeof(st));
        hr = IStream_Stat(s, &st, STATFLAG_DEFAULT);
        ok(hr == S_OK && st.pwcsName && !wcscmp(st.pwcsName, path), "Stat name got %#lx %ls\n", hr,
           st.pwcsName ? st.pwcsName : L"(null)");
        CoTaskMemFree(st.pwcsName);
        hr = IStream_Read(s, buf, sizeof(buf), &got);
        ok(hr == S_OK && got == sizeof(file_data) && !memcmp(buf, file_data, got), "file read got %#lx %lu\n", hr, got);
        seek_to(s, 4321);
        hr = IStream_Read(s, buf, 100, &got);
        ok(hr == S_OK && got == 100 && !memcmp(buf, file_data + 4321, 100), "read at 4321 got %#lx %lu\n", hr, got);
        hr = IStream_Clone(s, &clone);
        ok(hr == S_OK && clone, "Clone got %#lx\n", hr);
        if (clone) {
            seek_to(clone, 10);
            hr = IStream_Read(clone, buf, 20, &got);
            ok(hr == S_OK && got == 20 && !memcmp(buf, file_data + 10, 20), "clone read got %#lx\n", hr);
            ok(tell(s) == 4421, "clone moved the original\n");
            IStream_Release(clone);
        }
        hr = IStream_Read(s, buf, 100, &got);
        ok(hr == S_OK && got == 100 && !memcmp(buf, file_data + 4421, 100), "read after clone got %#lx\n", hr);
        hr = IStream_Write(s, buf, 1, &got);
        ok(hr == STG_E_ACCESSDENIED, "Write got %#lx\n", hr);
        hr = IStream_SetSize(s, uli(1));
        ok(hr == STG_E_ACCESSDENIED, "SetSize got %#lx\n", hr);
        hr = IImapi2OpenFileStreamOpener_GetStreamSize(opener, (IUnknown *)s, &size);
        ok(hr == S_OK && size == 5000.0, "GetStreamSize got %#lx %f\n", hr, size);
        IStream_Release(s);
        s = NULL;
    }
    /* OpenFile on a WAV is just the file; OpenWaveFile on a non-WAV fails. */
    hr = IImapi2OpenFileStreamOpener_OpenWaveFile(opener, bpath, &s);
    ok(hr == HRESULT_FROM_WIN32(ERROR_BAD_FORMAT) && !s, "OpenWaveFile(not RIFF) got %#lx\n", hr);
    SysFreeString(bpath);

    bpath = SysAllocString(missing);
    s = (IStream *)0xdeadbeef;
    hr = IImapi2OpenFileStreamOpener_OpenFile(opener, bpath, &s);
    ok(hr == HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) && !s, "OpenFile(missing) got %#lx\n", hr);
    SysFreeString(bpath);
    s = NULL;
    hr = IImapi2OpenFileStreamOpener_OpenFile(opener, NULL, &s);
    ok(hr == E_INVALIDARG, "OpenFile(NULL) got %#lx\n", hr);
    ok(IImapi2OpenFileStreamOpener_OpenFile(opener, (BSTR)L"x", NULL) == E_POINTER, "OpenFile(, NULL)\n");
    ok(IImapi2OpenFileStreamOpener_GetStreamSize(opener, NULL, &size) == E_INVALIDARG, "GetStreamSize(NULL)\n");

    /* OpenWaveFile: only the samples, padded with zeros to 2352-byte sectors. */
    bpath = SysAllocString(wav_path);
    len = make_wave(wave, 2, 44100, 16, 3000, 3000);
    ok(write_file(wav_path, wave, len), "cannot write %ls\n", wav_path);
    hr = IImapi2OpenFileStreamOpener_OpenWaveFile(opener, bpath, &s);
    ok(hr == S_OK && s, "OpenWaveFile got %#lx\n", hr);
    if (s) {
        BOOL padded = TRUE;
        ok(stat_size(s) == 2 * CD_SECTOR_SIZE, "wave stream size %I64u\n", stat_size(s));
        memset(buf, 0xcc, sizeof(buf));
        hr = IStream_Read(s, buf, sizeof(buf), &got);
        ok(hr == S_OK && got == 2 * CD_SECTOR_SIZE, "wave read got %#lx %lu\n", hr, got);
        ok(!memcmp(buf, wave + len - 3000, 3000), "samples differ\n");
        for (unsigned i = 3000; i < 2 * CD_SECTOR_SIZE; i++)
            padded &= !buf[i];
        ok(padded, "padding is not zeros\n");
        seek_to(s, 2998);
        hr = IStream_Read(s, buf, 4, &got);
        ok(hr == S_OK && got == 4 && !memcmp(buf, wave + len - 2, 2) && !buf[2] && !buf[3],
           "read across the padding got %#lx\n", hr);
        IStream_Release(s);
        s = NULL;
    }
    /* A streaming writer's unknown length (~0) is cut to the file. */
    len = make_wave(wave, 2, 44100, 16, CD_SECTOR_SIZE, 0xffffffff);
    write_file(wav_path, wave, len);
    hr = IImapi2OpenFileStreamOpener_OpenWaveFile(opener, bpath, &s);
    ok(hr == S_OK && s && stat_size(s) == CD_SECTOR_SIZE, "open-ended data chunk got %#lx\n", hr);
    if (s)
        IStream_Release(s);
    s = NULL;
    /* Not Red Book audio. */
    len = make_wave(wave, 1, 44100, 16, 100, 100);
    write_file(wav_path, wave, len);
    hr = IImapi2OpenFileStreamOpener_OpenWaveFile(opener, bpath, &s);
    ok(hr == HRESULT_FROM_WIN32(ERROR_BAD_FORMAT) && !s, "mono got %#lx\n", hr);
    len = make_wave(wave, 2, 48000, 16, 100, 100);
    write_file(wav_path, wave, len);
    hr = IImapi2OpenFileStreamOpener_OpenWaveFile(opener, bpath, &s);
    ok(hr == HRESULT_FROM_WIN32(ERROR_BAD_FORMAT) && !s, "48 kHz got %#lx\n", hr);
    len = make_wave(wave, 2, 44100, 8, 100, 100);
    write_file(wav_path, wave, len);
    hr = IImapi2OpenFileStreamOpener_OpenWaveFile(opener, bpath, &s);
    ok(hr == HRESULT_FROM_WIN32(ERROR_BAD_FORMAT) && !s, "8-bit got %#lx\n", hr);
    len = make_wave(wave, 2, 44100, 16, 100, 100);
    write_file(wav_path, wave, 36); /* header and fmt only: no data chunk */
    hr = IImapi2OpenFileStreamOpener_OpenWaveFile(opener, bpath, &s);
    ok(hr == HRESULT_FROM_WIN32(ERROR_BAD_FORMAT) && !s, "no data chunk got %#lx\n", hr);
    write_file(wav_path, wave, 8); /* truncated header */
    hr = IImapi2OpenFileStreamOpener_OpenWaveFile(opener, bpath, &s);
    ok(hr == HRESULT_FROM_WIN32(ERROR_BAD_FORMAT) && !s, "truncated header got %#lx\n", hr);
    SysFreeString(bpath);

    /* Scripts come through IDispatch: the typelib drives it. */
    {
        IDispatch *disp = NULL;
        OLECHAR *name = (OLECHAR *)L"GetStreamSize";
        DISPID id = -1;
        VARIANT arg, result;
        DISPPARAMS params = { &arg, NULL, 1, 0 };
        IStream *zero = create_stream(&CLSID_MsftStreamZero, &IID_IStream);
        hr = IImapi2OpenFileStreamOpener_QueryInterface(opener, &IID_IDispatch, (void **)&disp);
        ok(hr == S_OK, "IDispatch got %#lx\n", hr);
        if (disp && zero) {
            IStream_SetSize(zero, uli(4704));
            hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, &name, 1, 0, &id);
            ok(hr == S_OK && id == 3, "GetIDsOfNames got %#lx %ld\n", hr, id);
            V_VT(&arg) = VT_UNKNOWN;
            V_UNKNOWN(&arg) = (IUnknown *)zero;
            VariantInit(&result);
            hr = IDispatch_Invoke(disp, id, &IID_NULL, 0, DISPATCH_METHOD, &params, &result, NULL, NULL);
            ok(hr == S_OK && V_VT(&result) == VT_R8 && V_R8(&result) == 4704.0, "Invoke got %#lx vt %u\n", hr,
               V_VT(&result));
        }
        if (zero)
            IStream_Release(zero);
        if (disp)
            IDispatch_Release(disp);
    }

    ok(IImapi2OpenFileStreamOpener_Release(opener) == 0, "references left\n");
    ok(DeleteFileW(path), "cannot delete %ls (still open?)\n", path);
    ok(DeleteFileW(wav_path), "cannot delete %ls (still open?)\n", wav_path);
}

/* Parts whose sizes add up past 2^64 - 1 bytes: refused (E_INVALIDARG and a
 * description), nothing added; the size never wraps. */
static void test_size_overflow(void)
{
    IStreamConcatenate *cat = (IStreamConcatenate *)create_stream(&CLSID_MsftStreamConcatenate, &IID_IStreamConcatenate);
    IStreamInterleave *il = (IStreamInterleave *)create_stream(&CLSID_MsftStreamInterleave, &IID_IStreamInterleave);
    IStream *huge = create_stream(&CLSID_MsftStreamZero, &IID_IStream), *three[3];
    ULONG chunks[2] = { 1, 1 };
    HRESULT hr;
    if (!cat || !il || !huge)
        return;
    ok(IStream_SetSize(huge, uli(1ull << 63)) == S_OK, "SetSize 2^63\n");
    three[0] = three[1] = three[2] = huge;
    hr = IStreamConcatenate_Initialize2(cat, three, 3);
    ok(hr == E_INVALIDARG && test_error_says(L"longer together"), "three parts of 2^63 got %#lx\n", hr);
    ok(stat_size((IStream *)cat) == 0, "size after the refusal\n");
    hr = IStreamConcatenate_Initialize(cat, huge, huge);
    ok(hr == E_INVALIDARG, "two parts of 2^63 (2^64 wraps to 0) got %#lx\n", hr);
    ok(IStream_SetSize(huge, uli((1ull << 63) - 1)) == S_OK, "SetSize 2^63 - 1\n");
    hr = IStreamConcatenate_Initialize(cat, huge, huge);
    ok(hr == S_OK && stat_size((IStream *)cat) == ~0ull - 1, "two parts of 2^63 - 1 got %#lx\n", hr);
    hr = IStreamConcatenate_Append(cat, huge);
    ok(hr == E_INVALIDARG && test_error_says(L"longer together"), "Append past 2^64 got %#lx\n", hr);
    ok(stat_size((IStream *)cat) == ~0ull - 1, "size unchanged by the refused Append\n");

    ok(IStream_SetSize(huge, uli(1ull << 63)) == S_OK, "SetSize 2^63\n");
    hr = IStreamInterleave_Initialize(il, three, chunks, 2);
    ok(hr == E_INVALIDARG && test_error_says(L"longer together"), "interleave of two parts of 2^63 got %#lx\n", hr);
    ok(stat_size((IStream *)il) == 0, "interleave size after the refusal\n");
    IStream_Release(huge);
    IStreamInterleave_Release(il);
    IStreamConcatenate_Release(cat);
}

int main(void)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    test_creation();
    test_zero();
    test_prng();
    test_concatenate();
    test_interleave();
    test_file_stream();
    test_size_overflow();
    CoUninitialize();
    return okay_summary("streams");
}
