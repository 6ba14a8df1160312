namespace LLMML.Citations.Graphs;

/// <summary>
/// Accumulates papers and citations from any source, then freezes them into a <see cref="CitationGraph"/>.
/// Edges are added as (citing, cited). On <see cref="Build"/> self-citations are dropped and parallel edges
/// merged (their flags OR-ed); both are counted in <see cref="SelfCitations"/> and <see cref="DuplicateEdges"/>
/// so nothing disappears silently.
/// </summary>
public sealed class CitationGraphBuilder
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];
    private readonly List<int> _years = [];
    private readonly List<int> _fields = [];
    private readonly Dictionary<string, int> _fieldIndex = new(StringComparer.Ordinal);
    private readonly List<string> _fieldNames = [];
    private int[] _src = new int[1024];
    private int[] _dst = new int[1024];
    private EdgeFlags[] _flags = new EdgeFlags[1024];
    private int _edges;

    /// <summary>Number of papers so far.</summary>
    public int NodeCount => _ids.Count;

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
        if (_index.TryGetValue(id, out var i)) return i;
        i = _ids.Count;
        _index.Add(id, i);
        _ids.Add(id);
        _years.Add(0);
        _fields.Add(-1);
        return i;
    }

    /// <summary>Whether a paper id has been seen.</summary>
    public bool Contains(string id) => _index.ContainsKey(id);

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
        Array.Resize(ref _src, capacity);
        Array.Resize(ref _dst, capacity);
        Array.Resize(ref _flags, capacity);
    }

    /// <summary>Adds the edge <paramref name="citing"/> → <paramref name="cited"/>.</summary>
    public void AddCitation(int citing, int cited, EdgeFlags flags = EdgeFlags.None)
    {
        if ((uint)citing >= (uint)_ids.Count || (uint)cited >= (uint)_ids.Count)
            throw new ArgumentOutOfRangeException(nameof(citing), $"Edge {citing} → {cited} names a paper index outside 0..{_ids.Count - 1}.");
        if (_edges == _src.Length)
        {
            int capacity = Math.Max(1024, _src.Length * 2);
            Array.Resize(ref _src, capacity);
            Array.Resize(ref _dst, capacity);
            Array.Resize(ref _flags, capacity);
        }
        _src[_edges] = citing;
        _dst[_edges] = cited;
        _flags[_edges] = flags;
        _edges++;
    }

    /// <summary>Adds the edge by paper ids, adding unknown papers.</summary>
    public void AddCitation(string citingId, string citedId, EdgeFlags flags = EdgeFlags.None) =>
        AddCitation(Paper(citingId), Paper(citedId), flags);

    /// <summary>Freezes the papers and edges into a graph. The edges added so far are handed over (the builder keeps its papers, not its edges).</summary>
    public CitationGraph Build()
    {
        int n = _ids.Count;
        var keys = new long[_edges];
        var flags = new EdgeFlags[_edges];
        int kept = 0, selfLoops = 0;
        for (int e = 0; e < _edges; e++)
        {
            if (_src[e] == _dst[e]) { selfLoops++; continue; }
            keys[kept] = (long)_src[e] * n + _dst[e];
            flags[kept] = _flags[e];
            kept++;
        }
        Array.Sort(keys, flags, 0, kept);
        // The sorted keys hold everything now: drop the edge buffers before allocating the CSR (peak memory at scale).
        _src = []; _dst = []; _flags = [];
        _edges = 0;
        var offsets = new int[n + 1];
        var targets = new int[kept];
        int unique = 0, duplicates = 0;
        for (int e = 0; e < kept; e++)
        {
            if (e > 0 && keys[e] == keys[e - 1])
            {
                duplicates++;
                flags[unique - 1] |= flags[e];
                continue;
            }
            int src = (int)(keys[e] / n);
            offsets[src + 1]++;
            targets[unique] = (int)(keys[e] % n);
            flags[unique++] = flags[e]; // compacted in place: unique <= e
        }
        keys = null!;
        for (int i = 0; i < n; i++) offsets[i + 1] += offsets[i];
        SelfCitations = selfLoops;
        DuplicateEdges = duplicates;
        if (unique < targets.Length) Array.Resize(ref targets, unique);
        Array.Resize(ref flags, unique);
        return new CitationGraph([.. _ids], offsets, targets, flags, [.. _years], [.. _fields], [.. _fieldNames]);
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
