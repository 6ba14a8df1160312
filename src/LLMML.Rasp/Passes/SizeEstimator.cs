using System.Globalization;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Passes;

/// <summary>
/// Compiler pass: the number of weights the assembled transformer will have, checked against
/// <see cref="RaspCompilerOptions.MaxParameters"/> while the IR is still small (blocks are sparse;
/// the dense matrices of the assembly grow as residual width × depth, e.g. N² for a chain of N
/// SequenceMaps). The count mirrors the assembly exactly: embeddings (|V|+2 + N+1)·d, per layer
/// H heads of W_Q, W_K (key size K) and W_V, W_O (value size V), and 2·d·h_l MLP weights; H, K, V
/// are the program's maxima and every width is at least 1.
/// </summary>
public static class SizeEstimator
{
    /// <summary>Parameters of the assembled transformer of an IR.</summary>
    public static long Parameters(int dModel, int vocabulary, int maxLength, IReadOnlyList<IrLayer> layers)
    {
        var shape = new Shape();
        for (var l = 0; l < layers.Count; l++)
        {
            foreach (var head in layers[l].Heads) shape.AddHead(l, head);
            foreach (var mlp in layers[l].Mlps) shape.AddMlp(l, mlp);
            shape.Touch(l);
        }
        return (long)shape.Parameters(dModel, vocabulary, maxLength);
    }

    /// <summary>
    /// Walks the SOps in topological order, growing the residual width and the layers as the
    /// compiled model would up to each node, and refuses the program when the total exceeds the
    /// limit, naming the first node whose inclusion passes it.
    /// </summary>
    public static void Check(ProgramGraph graph, ResidualLayout layout, IReadOnlyDictionary<SOp, NodeBlocks?> blocks,
        IReadOnlyList<IrLayer> layers, RaspCompilerOptions options)
    {
        var layerOf = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        for (var l = 0; l < layers.Count; l++)
        {
            foreach (var h in layers[l].Heads) layerOf[h] = l;
            foreach (var m in layers[l].Mlps) layerOf[m] = l;
        }
        var shape = new Shape();
        var width = layout.Variable(ResidualLayout.Indices) is var ix ? ix.Start + ix.Count : 0;
        SOp? first = null;
        double firstTotal = 0;
        var firstWidth = 0;
        var firstLayers = 0;
        foreach (var sop in graph.SOps)
        {
            if (sop is not (TokensSOp or IndicesSOp))
            {
                var v = layout.Variable(graph.LabelOf(sop));
                width = Math.Max(width, v.Start + v.Count);
            }
            if (blocks[sop] is { } nb)
            {
                if (nb.Head is not null) shape.AddHead(layerOf[nb.Head], nb.Head);
                if (nb.Mlp is not null) shape.AddMlp(layerOf[nb.Mlp], nb.Mlp);
            }
            if (first is not null) continue;
            var total = shape.Parameters(width, options.Vocabulary.Count, options.MaxLength);
            if (total > options.MaxParameters) (first, firstTotal, firstWidth, firstLayers) = (sop, total, width, shape.Layers);
        }
        if (first is null) return;
        var whole = shape.Parameters(layout.Width, options.Vocabulary.Count, options.MaxLength);
        throw new RaspCompileException(graph.Describe(first), string.Create(CultureInfo.InvariantCulture,
            $"the compiled model up to this node would have {firstTotal:N0} parameters (residual width {firstWidth:N0}, {firstLayers:N0} layers), " +
            $"the whole program {whole:N0} ({whole * 4 / 1e9:F1} GB of float32, residual width {layout.Width:N0}, {layers.Count:N0} layers), " +
            $"more than the limit of {options.MaxParameters:N0} (RaspCompilerOptions.MaxParameters, `--max-params` on the command line)"));
    }

    /// <summary>The assembly's shape so far: layers, maximal heads/key/value sizes, MLP widths.</summary>
    private sealed class Shape
    {
        private readonly List<int> _heads = [];
        private readonly List<long> _mlp = [];
        private int _maxHeads, _keySize, _valueSize;

        public int Layers => _heads.Count;

        public void Touch(int layer)
        {
            while (_heads.Count <= layer) { _heads.Add(0); _mlp.Add(0); }
        }

        public void AddHead(int layer, AttentionHeadBlock head)
        {
            Touch(layer);
            _maxHeads = Math.Max(_maxHeads, ++_heads[layer]);
            _keySize = Math.Max(_keySize, Math.Min(head.Queries.Count, head.Keys.Count));
            _valueSize = Math.Max(_valueSize, Math.Min(head.Values.Count, head.Outputs.Count));
        }

        public void AddMlp(int layer, MlpBlock mlp)
        {
            Touch(layer);
            _mlp[layer] += mlp.Hidden.Count;
        }

        public double Parameters(int d, int vocabulary, int maxLength)
        {
            double perLayerAttention = 2.0 * Math.Max(1, _maxHeads) * (Math.Max(1, _keySize) + Math.Max(1, _valueSize));
            double mlpUnits = _mlp.Sum(h => (double)Math.Max(1, h));
            return (double)d * (vocabulary + 2 + maxLength + 1 + Layers * perLayerAttention + 2 * mlpUnits);
        }
    }
}
