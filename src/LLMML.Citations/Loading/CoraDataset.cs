using LLMML.Citations.Graphs;

namespace LLMML.Citations.Loading;

/// <summary>
/// The Cora (or CiteSeer) archive of the gnn-benchmark layout: a zip of <c>.npy</c> arrays with the
/// adjacency in CSR (<c>adj_*</c>, stored <b>cited → citing</b>, i.e. row = cited paper), binary word
/// features in CSR (<c>attr_*</c>), <c>labels</c>, <c>node_names</c> and <c>class_names</c>.
/// The graph is turned into this project's citing → cited convention; fields are the class names.
/// </summary>
public sealed class CoraDataset
{
    private CoraDataset(GraphLoadResult load, int[] labels, string[] classNames, string[] nodeNames, int[][] words, int vocabularySize)
    {
        Load = load;
        Labels = labels;
        ClassNames = classNames;
        NodeNames = nodeNames;
        Words = words;
        VocabularySize = vocabularySize;
    }

    /// <summary>The graph (papers in archive order, fields = classes) and diagnostics.</summary>
    public GraphLoadResult Load { get; }

    /// <summary>The citation graph.</summary>
    public CitationGraph Graph => Load.Graph;

    /// <summary>Class index of each paper, in archive order (= graph index).</summary>
    public int[] Labels { get; }

    /// <summary>Class names.</summary>
    public string[] ClassNames { get; }

    /// <summary>Paper ids as in <c>cora.cites</c>.</summary>
    public string[] NodeNames { get; }

    /// <summary>Indices of the dictionary words present in each paper (the binary bag of words).</summary>
    public int[][] Words { get; }

    /// <summary>Dictionary size (1,433 for Cora).</summary>
    public int VocabularySize { get; }

    /// <summary>Reads an archive such as <c>cora.npz</c>.</summary>
    public static CoraDataset Read(string npzPath)
    {
        var a = NpyArray.ReadNpz(npzPath);
        NpyArray Need(string name) => a.TryGetValue(name, out var v) ? v
            : throw new InvalidDataException($"{npzPath}: array '{name}' is missing (expected the gnn-benchmark layout adj_*, attr_*, labels, node_names, class_names).");
        var names = Need("node_names").AsStrings();
        int n = names.Length;
        var labels = Need("labels").AsInt32();
        var classes = a.TryGetValue("class_names", out var cn) ? cn.AsStrings() : [.. labels.Distinct().Order().Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        if (labels.Length != n) throw new InvalidDataException($"{npzPath}: labels has {labels.Length} entries for {n} node_names.");
        var indptr = Need("adj_indptr").AsInt32();
        var indices = Need("adj_indices").AsInt32();
        if (indptr.Length != n + 1) throw new InvalidDataException($"{npzPath}: adj_indptr has {indptr.Length} entries, {n + 1} expected.");

        var builder = new CitationGraphBuilder();
        builder.DeclareFields(classes);
        var diagnostics = new LoadDiagnostics();
        for (int i = 0; i < n; i++)
        {
            builder.Paper(names[i]);
            if (labels[i] < 0 || labels[i] >= classes.Length) diagnostics.Report(i + 1, $"node {names[i]}: label {labels[i]} outside 0..{classes.Length - 1}");
            else builder.SetField(i, classes[labels[i]]);
        }
        for (int cited = 0; cited < n; cited++)
            for (int e = indptr[cited]; e < indptr[cited + 1]; e++)
            {
                diagnostics.Records++;
                int citing = indices[e];
                if ((uint)citing >= (uint)n) { diagnostics.Report(e + 1, $"adj_indices[{e}] = {citing} is not a node index"); continue; }
                builder.AddCitation(citing, cited); // the archive's row is the cited paper
            }
        var graph = builder.Build();
        diagnostics.SelfCitations = builder.SelfCitations;
        diagnostics.DuplicateEdges = builder.DuplicateEdges;

        var words = new int[n][];
        if (a.TryGetValue("attr_indptr", out var ap) && a.TryGetValue("attr_indices", out var ai))
        {
            var p = ap.AsInt32();
            var idx = ai.AsInt32();
            for (int i = 0; i < n; i++) words[i] = idx[p[i]..p[i + 1]];
        }
        else Array.Fill(words, []);
        int vocab = a.TryGetValue("attr_shape", out var s) ? (int)s.AsInt64()[1] : 0;
        return new CoraDataset(new GraphLoadResult(graph, diagnostics), labels, classes, names, words, vocab);
    }
}
