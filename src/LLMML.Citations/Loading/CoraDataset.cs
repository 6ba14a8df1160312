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
    /// <exception cref="InvalidDataException">The archive or one of its arrays is malformed; the message names the file and array.</exception>
    public static CoraDataset Read(string npzPath)
    {
        var a = NpyArray.ReadNpz(npzPath);
        NpyArray Need(string name) => a.TryGetValue(name, out var v) ? v
            : throw new InvalidDataException($"{npzPath}: array '{name}' is missing (expected the gnn-benchmark layout adj_*, attr_*, labels, node_names, class_names).");
        var names = Vector(Need("node_names")).AsStrings();
        int n = names.Length;
        var labels = Vector(Need("labels")).AsInt32();
        var classes = a.TryGetValue("class_names", out var cn) ? Vector(cn).AsStrings() : [.. labels.Distinct().Order().Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        if (labels.Length != n) throw new InvalidDataException($"{npzPath}: array 'labels' has {labels.Length} entries for {n} node_names.");
        var (indptr, indices) = Csr(Need("adj_indptr"), Need("adj_indices"), n);

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
            var (p, idx) = Csr(ap, ai, n);
            for (int i = 0; i < n; i++) words[i] = idx[p[i]..p[i + 1]];
        }
        else Array.Fill(words, []);
        int vocab = 0;
        if (a.TryGetValue("attr_shape", out var s))
        {
            var dims = Vector(s).AsInt32();
            if (dims.Length != 2 || dims[1] < 0) throw new InvalidDataException($"{s.Source}: expected (rows, columns), found ({string.Join(", ", dims)}).");
            vocab = dims[1];
        }
        return new CoraDataset(new GraphLoadResult(graph, diagnostics), labels, classes, names, words, vocab);
    }

    private static NpyArray Vector(NpyArray array) => array.Shape.Length == 1 ? array
        : throw new InvalidDataException($"{array.Source}: expected a vector, found shape ({string.Join(", ", array.Shape)}).");

    // Row pointers of a CSR matrix with `rows` rows: start at 0, never decrease, end within the column indices.
    private static (int[] Pointers, int[] Indices) Csr(NpyArray pointers, NpyArray indices, int rows)
    {
        var p = Vector(pointers).AsInt32();
        var idx = Vector(indices).AsInt32();
        if (p.Length != rows + 1) throw new InvalidDataException($"{pointers.Source}: has {p.Length} entries, {rows + 1} expected.");
        if (p[0] != 0 || p[^1] > idx.Length) throw new InvalidDataException($"{pointers.Source}: row pointers must run from 0 to at most {idx.Length} (the length of {indices.Source}).");
        for (int i = 0; i < rows; i++)
            if (p[i + 1] < p[i]) throw new InvalidDataException($"{pointers.Source}: entry {i + 1} ({p[i + 1]}) is below entry {i} ({p[i]}).");
        return (p, idx);
    }
}
