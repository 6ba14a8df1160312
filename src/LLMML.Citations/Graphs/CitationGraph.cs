namespace LLMML.Citations.Graphs;

/// <summary>
/// An immutable citation graph in compressed sparse row form.
/// <para><b>Edge direction: citing → cited.</b> An edge u → v means "paper u cites paper v": v is in u's
/// references and u is in v's citations. Every loader converts its source's convention to this one
/// (Cora's <c>cora.cites</c> and the Semantic Scholar dumps store cited → citing).</para>
/// Papers are dense indices 0..<see cref="NodeCount"/>-1; <see cref="PaperIds"/> maps them back to source ids.
/// Self-citations are dropped and parallel edges merged when a graph is built (see <see cref="CitationGraphBuilder"/>).
/// </summary>
public sealed class CitationGraph
{
    internal readonly int[] _refOffsets;   // [n+1] out-CSR: references of u are RefTargets[RefOffsets[u]..RefOffsets[u+1]], sorted
    internal readonly int[] _refTargets;   // [m]
    internal readonly EdgeFlags[]? _refFlags; // [m] aligned with RefTargets; null when no edge carries a flag (saves a byte a reference each way)
    internal readonly int[] _citOffsets;   // [n+1] in-CSR: citations of v are CitSources[CitOffsets[v]..CitOffsets[v+1]], sorted
    internal readonly int[] _citSources;   // [m]
    internal readonly EdgeFlags[]? _citFlags; // [m] aligned with CitSources, null with _refFlags
    internal readonly int[] _yearArray;    // [n] 0 = unknown
    internal readonly int[] _fieldArray;   // [n] -1 = unknown
    private readonly PaperIdTable _ids;
    private readonly string[] _fieldNames;
    private readonly EdgeFlags[] _noFlags; // zeros, as long as the largest degree: the flag spans of an unflagged graph

    internal CitationGraph(PaperIdTable ids, int[] refOffsets, int[] refTargets, EdgeFlags[]? refFlags,
        int[] years, int[] fields, string[] fieldNames)
        : this(ids, refOffsets, refTargets, refFlags, years, fields, fieldNames, null)
    {
    }

    private CitationGraph(PaperIdTable ids, int[] refOffsets, int[] refTargets, EdgeFlags[]? refFlags,
        int[] years, int[] fields, string[] fieldNames, CitationGraph? sameEdges)
    {
        _ids = ids;
        _refOffsets = refOffsets;
        _refTargets = refTargets;
        _refFlags = refFlags is null || Array.TrueForAll(refFlags, f => f == EdgeFlags.None) ? null : refFlags;
        _yearArray = years;
        _fieldArray = fields;
        _fieldNames = fieldNames;
        if (sameEdges is not null)
            (_citOffsets, _citSources, _citFlags, _noFlags) = (sameEdges._citOffsets, sameEdges._citSources, sameEdges._citFlags, sameEdges._noFlags);
        else
        {
            (_citOffsets, _citSources, _citFlags) = Transpose(ids.Count, refOffsets, refTargets, _refFlags);
            int maxDegree = 0;
            if (_refFlags is null)
                for (int u = 0; u < ids.Count; u++)
                    maxDegree = Math.Max(maxDegree, Math.Max(refOffsets[u + 1] - refOffsets[u], _citOffsets[u + 1] - _citOffsets[u]));
            _noFlags = new EdgeFlags[maxDegree];
        }
    }

    /// <summary>Number of papers.</summary>
    public int NodeCount => _ids.Count;

    /// <summary>Number of distinct citation edges (citing → cited).</summary>
    public int EdgeCount => _refTargets.Length;

    /// <summary>Source ids of the papers, by index.</summary>
    public IReadOnlyList<string> PaperIds => _ids;

    /// <summary>Field (track, class, topic) names; <see cref="FieldOf"/> indexes into this list.</summary>
    public IReadOnlyList<string> FieldNames => _fieldNames;

    /// <summary>True when at least one edge carries influence/intent data.</summary>
    public bool HasEdgeAnnotations => _refFlags is not null && Array.Exists(_refFlags, f => (f & EdgeFlags.Annotated) != 0);

    /// <summary>Flags of the edge at position <paramref name="e"/> of the out-CSR.</summary>
    internal EdgeFlags ReferenceFlag(int e) => _refFlags is null ? EdgeFlags.None : _refFlags[e];

    /// <summary>Index of a paper id, or -1 when unknown.</summary>
    public int IndexOf(string paperId) => _ids.IndexOf(paperId);

    /// <summary>Papers that <paramref name="paper"/> cites (out-neighbours), sorted by index.</summary>
    public ReadOnlySpan<int> ReferencesOf(int paper) => _refTargets.AsSpan(_refOffsets[paper], _refOffsets[paper + 1] - _refOffsets[paper]);

    /// <summary>Papers that cite <paramref name="paper"/> (in-neighbours), sorted by index.</summary>
    public ReadOnlySpan<int> CitationsOf(int paper) => _citSources.AsSpan(_citOffsets[paper], _citOffsets[paper + 1] - _citOffsets[paper]);

    /// <summary>Edge flags aligned with <see cref="ReferencesOf"/>.</summary>
    public ReadOnlySpan<EdgeFlags> ReferenceFlagsOf(int paper) => _refFlags is null ? _noFlags.AsSpan(0, ReferenceCount(paper))
        : _refFlags.AsSpan(_refOffsets[paper], _refOffsets[paper + 1] - _refOffsets[paper]);

    /// <summary>Edge flags aligned with <see cref="CitationsOf"/>.</summary>
    public ReadOnlySpan<EdgeFlags> CitationFlagsOf(int paper) => _citFlags is null ? _noFlags.AsSpan(0, CitationCount(paper))
        : _citFlags.AsSpan(_citOffsets[paper], _citOffsets[paper + 1] - _citOffsets[paper]);

    /// <summary>Out-degree: how many papers this paper cites.</summary>
    public int ReferenceCount(int paper) => _refOffsets[paper + 1] - _refOffsets[paper];

    /// <summary>In-degree: how many papers cite this paper.</summary>
    public int CitationCount(int paper) => _citOffsets[paper + 1] - _citOffsets[paper];

    /// <summary>Publication year, or null when unknown.</summary>
    public int? YearOf(int paper) => _yearArray[paper] == 0 ? null : _yearArray[paper];

    /// <summary>Field index into <see cref="FieldNames"/>, or -1 when unknown.</summary>
    public int FieldOf(int paper) => _fieldArray[paper];

    /// <summary>Field name, or null when unknown.</summary>
    public string? FieldNameOf(int paper) => _fieldArray[paper] < 0 ? null : _fieldNames[_fieldArray[paper]];

    /// <summary>Index of a field name, or -1.</summary>
    public int FieldIndex(string name) => Array.IndexOf(_fieldNames, name);

    /// <summary>Whether the edge <paramref name="citing"/> → <paramref name="cited"/> exists (binary search).</summary>
    public bool Cites(int citing, int cited) => ReferencesOf(citing).BinarySearch(cited) >= 0;

    /// <summary>A copy of this graph with other per-paper fields (e.g. predicted tracks), same edges.</summary>
    public CitationGraph WithFields(int[] fields, string[] fieldNames)
    {
        if (fields.Length != NodeCount) throw new ArgumentException($"fields has {fields.Length} entries for {NodeCount} papers.", nameof(fields));
        foreach (var f in fields)
            if (f < -1 || f >= fieldNames.Length) throw new ArgumentException($"field index {f} is outside 0..{fieldNames.Length - 1} (or -1 for unknown).", nameof(fields));
        return new CitationGraph(_ids, _refOffsets, _refTargets, _refFlags, _yearArray, fields, fieldNames, this);
    }

    private static (int[] offsets, int[] sources, EdgeFlags[]? flags) Transpose(int n, int[] offsets, int[] targets, EdgeFlags[]? flags)
    {
        var inOffsets = new int[n + 1];
        foreach (var t in targets) inOffsets[t + 1]++;
        for (int i = 0; i < n; i++) inOffsets[i + 1] += inOffsets[i];
        var cursor = (int[])inOffsets.Clone();
        var sources = new int[targets.Length];
        if (flags is null)
        {
            for (int u = 0; u < n; u++)
                for (int e = offsets[u]; e < offsets[u + 1]; e++) sources[cursor[targets[e]]++] = u;
            return (inOffsets, sources, null);
        }
        var inFlags = new EdgeFlags[targets.Length];
        // Sources come out sorted because u is scanned in increasing order.
        for (int u = 0; u < n; u++)
            for (int e = offsets[u]; e < offsets[u + 1]; e++)
            {
                int slot = cursor[targets[e]]++;
                sources[slot] = u;
                inFlags[slot] = flags[e];
            }
        return (inOffsets, sources, inFlags);
    }
}
