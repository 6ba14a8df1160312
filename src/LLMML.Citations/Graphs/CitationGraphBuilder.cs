using System.Globalization;

namespace LLMML.Citations.Graphs;

/// <summary>
/// Accumulates papers and citations from any source, then freezes them into a <see cref="CitationGraph"/>.
/// Edges are added as (citing, cited). On <see cref="Build"/> self-citations are dropped and parallel edges
/// merged (their flags OR-ed); both are counted in <see cref="SelfCitations"/> and <see cref="DuplicateEdges"/>
/// so nothing disappears silently.
/// </summary>
/// <remarks>
/// Memory at scale: an edge costs 8 bytes while loading (citing and cited index; flags only once a source gives one) and
/// <see cref="Build"/> sorts them in place (a counting-sort permutation by citing paper, then each paper's short list),
/// so the peak is those 8 bytes plus the 4 of the transposed copy, never a sort key per edge. Papers named by integers
/// (<see cref="Paper(long)"/>) are kept as integers, not strings, until something asks for their spelling.
/// </remarks>
public sealed class CitationGraphBuilder
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];
    private Dictionary<long, int>? _numberIndex;
    private List<long>? _numbers; // while every paper so far was named by an integer
    private readonly List<int> _years = [];
    private readonly List<int> _fields = [];
    private readonly Dictionary<string, int> _fieldIndex = new(StringComparer.Ordinal);
    private readonly List<string> _fieldNames = [];
    private int[] _src = new int[1024];
    private int[] _dst = new int[1024];
    private EdgeFlags[]? _flags; // allocated with the first flagged edge
    private int _edges;

    /// <summary>Number of papers so far.</summary>
    public int NodeCount => _years.Count;

    /// <summary>Edges added so far (before merging).</summary>
    public int EdgesAdded => _edges;

    /// <summary>Self-citations dropped by the last <see cref="Build"/>.</summary>
    public int SelfCitations { get; private set; }

    /// <summary>Parallel edges merged by the last <see cref="Build"/> (e.g. the same link seen from both ends).</summary>
    public int DuplicateEdges { get; private set; }

    /// <summary>Declares fields in a fixed order (e.g. Cora's class names) so indices match the source's.</summary>
    public void DeclareFields(IEnumerable<string> names)
    {
        foreach (var name in names) FieldIndexOf(name);
    }

    /// <summary>Index of a paper, adding it when new.</summary>
    public int Paper(string id)
    {
        if (string.IsNullOrEmpty(id)) throw new ArgumentException("A paper id must not be empty.", nameof(id));
        if (_numbers is not null) SpellNumbers();
        if (_index.TryGetValue(id, out var i)) return i;
        i = _ids.Count;
        _index.Add(id, i);
        _ids.Add(id);
        _years.Add(0);
        _fields.Add(-1);
        return i;
    }

    /// <summary>
    /// Index of a paper named by an integer (its id is the integer's invariant spelling), adding it when new. As long as
    /// every paper is named this way the ids stay integers: no string per paper.
    /// </summary>
    public int Paper(long id)
    {
        if (_numbers is null && _years.Count > 0) return Paper(id.ToString(CultureInfo.InvariantCulture));
        _numbers ??= [];
        _numberIndex ??= [];
        if (_numberIndex.TryGetValue(id, out var i)) return i;
        i = _numbers.Count;
        _numberIndex.Add(id, i);
        _numbers.Add(id);
        _years.Add(0);
        _fields.Add(-1);
        return i;
    }

    /// <summary>Makes room for <paramref name="papers"/> papers in all (a known-size load).</summary>
    public void EnsurePaperCapacity(int papers)
    {
        _years.EnsureCapacity(papers);
        _fields.EnsureCapacity(papers);
        if (_numbers is not null || _years.Count == 0)
        {
            (_numbers ??= []).EnsureCapacity(papers);
            (_numberIndex ??= []).EnsureCapacity(papers);
        }
    }

    // A string id arrived after integer ones: from now on every id is a string.
    private void SpellNumbers()
    {
        var numbers = _numbers!;
        _numbers = null;
        _numberIndex = null;
        _ids.Capacity = Math.Max(_ids.Capacity, numbers.Count);
        foreach (var number in numbers)
        {
            var id = number.ToString(CultureInfo.InvariantCulture);
            _index.Add(id, _ids.Count);
            _ids.Add(id);
        }
    }

    /// <summary>Whether a paper id has been seen.</summary>
    public bool Contains(string id) =>
        _numbers is null ? _index.ContainsKey(id)
            : long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
              && n.ToString(CultureInfo.InvariantCulture) == id && _numberIndex!.ContainsKey(n);

    /// <summary>Sets a paper's year (ignored when null or not positive).</summary>
    public void SetYear(int paper, int? year)
    {
        if (year is > 0) _years[paper] = year.Value;
    }

    /// <summary>Sets a paper's field by name (ignored when null or blank).</summary>
    public void SetField(int paper, string? field)
    {
        if (!string.IsNullOrWhiteSpace(field)) _fields[paper] = FieldIndexOf(field);
    }

    /// <summary>Makes room for <paramref name="edges"/> citations in all, so a known-size load grows its arrays once instead of doubling.</summary>
    public void EnsureEdgeCapacity(int edges)
    {
        if (edges <= _src.Length) return;
        int capacity = (int)Math.Min(Array.MaxLength, Math.Max(edges, Math.Min(2L * _src.Length, edges + (edges >> 2))));
        Resize(capacity);
    }

    private void Resize(int capacity)
    {
        Array.Resize(ref _src, capacity);
        Array.Resize(ref _dst, capacity);
        if (_flags is not null) Array.Resize(ref _flags, capacity);
    }

    /// <summary>Adds the edge <paramref name="citing"/> → <paramref name="cited"/>.</summary>
    public void AddCitation(int citing, int cited, EdgeFlags flags = EdgeFlags.None)
    {
        int n = _years.Count;
        if ((uint)citing >= (uint)n || (uint)cited >= (uint)n)
            throw new ArgumentOutOfRangeException(nameof(citing), $"Edge {citing} → {cited} names a paper index outside 0..{n - 1}.");
        if (_edges == _src.Length) Resize(Math.Max(1024, _src.Length * 2));
        _src[_edges] = citing;
        _dst[_edges] = cited;
        if (flags != EdgeFlags.None)
        {
            _flags ??= new EdgeFlags[_src.Length];
            _flags[_edges] = flags;
        }
        else if (_flags is not null) _flags[_edges] = EdgeFlags.None;
        _edges++;
    }

    /// <summary>Adds the edge by paper ids, adding unknown papers.</summary>
    public void AddCitation(string citingId, string citedId, EdgeFlags flags = EdgeFlags.None) =>
        AddCitation(Paper(citingId), Paper(citedId), flags);

    /// <summary>Freezes the papers and edges into a graph. The edges added so far are handed over (the builder keeps its papers, not its edges).</summary>
    public CitationGraph Build()
    {
        int n = _years.Count;
        var (src, dst, flags, m) = (_src, _dst, _flags, _edges);
        _src = []; _dst = []; _flags = null; _edges = 0;

        // Self-citations out, compacting in place.
        int kept = 0;
        for (int e = 0; e < m; e++)
        {
            if (src[e] == dst[e]) continue;
            src[kept] = src[e];
            dst[kept] = dst[e];
            if (flags is not null) flags[kept] = flags[e];
            kept++;
        }
        SelfCitations = m - kept;

        // Counting sort by citing paper, in place: each swap puts one edge into its citing paper's final block.
        var offsets = new int[n + 1];
        for (int e = 0; e < kept; e++) offsets[src[e] + 1]++;
        for (int u = 0; u < n; u++) offsets[u + 1] += offsets[u];
        var cursor = new int[n];
        Array.Copy(offsets, cursor, n);
        for (int u = 0; u < n; u++)
        {
            int end = offsets[u + 1];
            while (cursor[u] < end)
            {
                int i = cursor[u], s = src[i];
                if (s == u) { cursor[u]++; continue; }
                int j = cursor[s]++;
                (src[i], src[j]) = (src[j], src[i]);
                (dst[i], dst[j]) = (dst[j], dst[i]);
                if (flags is not null) (flags[i], flags[j]) = (flags[j], flags[i]);
            }
        }
        cursor = null!;
        src = null!; // the offsets say it all now

        // Each paper's references sorted, parallel ones merged (flags OR-ed), compacted towards the front.
        int unique = 0, start = 0;
        for (int u = 0; u < n; u++)
        {
            int end = offsets[u + 1];
            if (flags is null) dst.AsSpan(start, end - start).Sort();
            else dst.AsSpan(start, end - start).Sort(flags.AsSpan(start, end - start));
            offsets[u] = unique;
            for (int e = start; e < end; e++)
            {
                if (e > start && dst[e] == dst[e - 1])
                {
                    if (flags is not null) flags[unique - 1] |= flags[e];
                    continue;
                }
                dst[unique] = dst[e];
                if (flags is not null) flags[unique] = flags[e];
                unique++;
            }
            start = end;
        }
        offsets[n] = unique;
        DuplicateEdges = kept - unique;
        if (unique < dst.Length) Array.Resize(ref dst, unique);
        if (flags is not null && unique < flags.Length) Array.Resize(ref flags, unique);
        var ids = _numbers is not null ? new PaperIdTable([.. _numbers]) : new PaperIdTable([.. _ids]);
        return new CitationGraph(ids, offsets, dst, flags, [.. _years], [.. _fields], [.. _fieldNames]);
    }

    private int FieldIndexOf(string name)
    {
        if (_fieldIndex.TryGetValue(name, out var f)) return f;
        f = _fieldNames.Count;
        _fieldIndex.Add(name, f);
        _fieldNames.Add(name);
        return f;
    }
}
