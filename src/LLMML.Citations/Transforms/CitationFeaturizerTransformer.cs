using LLMML.Citations.Features;
using LLMML.Foundation.Persistence;
using LLMML.MLNet.Transforms;
using LLMML.MLNet.Mapping;
using LLMML.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.Citations.Transforms;

/// <summary>
/// Appends each paper's citation features as a float vector. A paper that had its own row in Fit gets its graph
/// features. A paper the fitted graph knows only as someone's reference gets its graph features for everything
/// computed from its citations, and its reference-side features (reference count, hub score, reference shares)
/// from the references in its row. A paper the graph does not know is scored from its references alone
/// (<see cref="NewPaperFeatures"/>). Undefined values (NaN in the feature table) become 0.
/// </summary>
/// <remarks>
/// Implements <see cref="ITransformer"/> on the shared <see cref="BatchedTransformerBase"/>. It needs no
/// <see cref="MLContext"/> of its own, which is why it is created from <c>mlContext.Transforms</c> (whose context is
/// not public). Before <c>mlContext.Model.Load</c> of a pipeline holding it, register the loading context with
/// <c>mlContext.Llm()</c> or <see cref="MLNetModelBridge.Register"/>.
/// </remarks>
public sealed class CitationFeaturizerTransformer : BatchedTransformerBase, IArchivableTransformer<CitationFeaturizerTransformer>
{
    private const int StateVersion = 1;
    private readonly CitationFeaturizerOptions _options;
    private readonly bool[] _fitted;

    internal CitationFeaturizerTransformer(CitationFeaturizerOptions options, PaperFeatures features, bool[] fitted)
    {
        _options = options;
        Features = features;
        _fitted = fitted;
    }

    /// <inheritdoc />
    public static string ComponentType => "LLMML.Citations.CitationFeaturizer";

    /// <summary>The fitted graph's per-paper features (also a DataFrame via <see cref="PaperFeatures.ToDataFrame"/>).</summary>
    public PaperFeatures Features { get; }

    /// <summary>Names of the vector slots.</summary>
    public IReadOnlyList<string> FeatureNames => Features.Names;

    /// <summary>The vector of one paper given its id and references (the same rules as <see cref="BatchedTransformerBase.Transform"/>).</summary>
    public float[] Featurize(string paperId, IEnumerable<string> references)
    {
        var vector = new float[Features.Names.Count];
        Fill(paperId, references, vector);
        return vector;
    }

    /// <inheritdoc />
    protected override BatchedMapping CreateMapping(DataViewSchema inputSchema)
    {
        var refsColumn = inputSchema.GetColumnOrNull(_options.ReferencesColumnName);
        bool vectorRefs = refsColumn?.Type is VectorDataViewType;
        var inputs = new[]
        {
            BatchInputColumn.Text(_options.PaperIdColumnName),
            vectorRefs
                ? BatchInputColumn.Create<VBuffer<ReadOnlyMemory<char>>>(_options.ReferencesColumnName, description: "a vector of text (cited paper ids)")
                : BatchInputColumn.Create<ReadOnlyMemory<char>>(_options.ReferencesColumnName, description: "text (cited paper ids) or a vector of text"),
        };
        var output = BatchOutputColumn.FloatVector(_options.OutputColumnName, Features.Names.Count, Features.Names);
        return new BatchedMapping("CitationFeaturizer", inputs, [output], (batch, outputs) =>
        {
            var ids = batch.Get<ReadOnlyMemory<char>>(_options.PaperIdColumnName);
            var result = outputs.Get<VBuffer<float>>(_options.OutputColumnName);
            for (int r = 0; r < batch.Count; r++)
            {
                var refs = vectorRefs
                    ? ReferenceIds.From(batch.Get<VBuffer<ReadOnlyMemory<char>>>(_options.ReferencesColumnName)[r]).ToArray()
                    : ReferenceIds.From(batch.Get<ReadOnlyMemory<char>>(_options.ReferencesColumnName)[r]).ToArray();
                var vector = new float[Features.Names.Count];
                Fill(ids[r].ToString().Trim(), refs, vector);
                result[r] = new VBuffer<float>(vector.Length, vector);
            }
        }, batchSize: 256);
    }

    private void Fill(string paperId, IEnumerable<string> references, Span<float> vector)
    {
        var g = Features.Graph;
        int index = g.IndexOf(paperId);
        if (index >= 0 && _fitted[index])
        {
            Features.Vector(index, vector);
            return;
        }
        var known = new List<int>();
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in references)
        {
            if (r == paperId || !distinct.Add(r)) continue;
            int i = g.IndexOf(r);
            if (i >= 0) known.Add(i);
        }
        NewPaperFeatures.Score(Features, known, distinct.Count, vector);
        if (index < 0) return;
        // Known only as a reference: citation-side features from the graph, reference-side ones from the row.
        var graphVector = new float[vector.Length];
        Features.Vector(index, graphVector);
        for (int f = 0; f < vector.Length; f++)
            if (!IsReferenceSide(Features.Names[f])) vector[f] = graphVector[f];
    }

    private static bool IsReferenceSide(string name) =>
        name is "references" or "hits_hub" || name.StartsWith("reference_share:", StringComparison.Ordinal);

    /// <inheritdoc />
    public override ModelArchive ToArchive()
    {
        var g = Features.Graph;
        var c = Features.Context;
        int n = g.NodeCount, f = Features.Names.Count;
        var matrix = new double[(long)f * n];
        for (int i = 0; i < f; i++) Features.Columns[i].ToArray(n).CopyTo(matrix, (long)i * n);
        var tensors = new Dictionary<string, TensorData>
        {
            ["graph.ref_offsets"] = TensorData.FromInt32(g._refOffsets),
            ["graph.ref_targets"] = TensorData.FromInt32(g._refTargets),
            ["graph.ref_flags"] = TensorData.FromInt32(g._refFlags is null ? new int[g.EdgeCount] : Array.ConvertAll(g._refFlags, x => (int)x)),
            ["graph.years"] = TensorData.FromInt32(g._yearArray),
            ["graph.fields"] = TensorData.FromInt32(g._fieldArray),
            ["fitted"] = TensorData.FromInt32(Array.ConvertAll(_fitted, x => x ? 1 : 0)),
            ["features"] = TensorData.FromFloat64(matrix, [f, n]),
            ["context.scalars"] = TensorData.FromFloat64([c.PageRankFloor, c.HubNormaliser]),
            ["context.target_fields"] = TensorData.FromInt32(c.TargetFields),
        };
        if (c.Authorities is not null) tensors["context.authorities"] = TensorData.FromFloat64(c.Authorities);
        if (c.Cores is not null) tensors["context.cores"] = TensorData.FromInt32(c.Cores);
        var blobs = new Dictionary<string, byte[]>
        {
            ["paper_ids.json"] = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(g.PaperIds),
            ["field_names.json"] = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(g.FieldNames),
            ["feature_names.json"] = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Features.Names),
        };
        return ModelArchive.Create(ComponentType, StateVersion, _options, tensors, blobs);
    }

    /// <inheritdoc />
    public static CitationFeaturizerTransformer FromArchive(MLContext mlContext, ModelArchive archive)
    {
        archive.RequireComponent(ComponentType, StateVersion, StateVersion);
        var options = archive.GetOptions<CitationFeaturizerOptions>();
        string[] Strings(string blob) => System.Text.Json.JsonSerializer.Deserialize<string[]>(archive.GetBlob(blob))
            ?? throw new InvalidDataException($"{archive.SourceName}: blob '{blob}' is empty.");
        var ids = Strings("paper_ids.json");
        var fieldNames = Strings("field_names.json");
        var names = Strings("feature_names.json");
        int n = ids.Length, f = names.Length;
        var offsets = archive.GetTensor("graph.ref_offsets", TensorDType.Int32, n + 1).ToInt32Array();
        var targets = archive.GetTensor("graph.ref_targets", TensorDType.Int32).ToInt32Array();
        var flags = Array.ConvertAll(archive.GetTensor("graph.ref_flags", TensorDType.Int32, targets.Length).ToInt32Array(), x => (Graphs.EdgeFlags)x);
        var years = archive.GetTensor("graph.years", TensorDType.Int32, n).ToInt32Array();
        var fields = archive.GetTensor("graph.fields", TensorDType.Int32, n).ToInt32Array();
        if (offsets[n] != targets.Length || targets.Any(t => (uint)t >= (uint)n))
            throw new InvalidDataException($"{archive.SourceName}: the graph's edge arrays are inconsistent.");
        var fitted = Array.ConvertAll(archive.GetTensor("fitted", TensorDType.Int32, n).ToInt32Array(), x => x != 0);
        var matrix = archive.GetTensor("features", TensorDType.Float64, f, n).ToFloat64Array();
        var columns = new double[f][];
        for (int i = 0; i < f; i++) columns[i] = matrix.AsSpan(i * n, n).ToArray();
        var scalars = archive.GetTensor("context.scalars", TensorDType.Float64, 2).ToFloat64Array();
        var context = new NewPaperContext(scalars[0], scalars[1],
            archive.Tensors.ContainsKey("context.authorities") ? archive.GetTensor("context.authorities", TensorDType.Float64, n).ToFloat64Array() : null,
            archive.Tensors.ContainsKey("context.cores") ? archive.GetTensor("context.cores", TensorDType.Int32, n).ToInt32Array() : null,
            archive.GetTensor("context.target_fields", TensorDType.Int32).ToInt32Array());
        var graph = new Graphs.CitationGraph(new Graphs.PaperIdTable(ids), offsets, targets, flags, years, fields, fieldNames);
        return new CitationFeaturizerTransformer(options, new PaperFeatures(graph, names, columns, context), fitted);
    }
}
