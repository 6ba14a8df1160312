using System.Diagnostics;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Compiler;

/// <summary>
/// Compiles a RASP program to the intermediate form (<see cref="CompiledProgram"/>):
/// validate → graph → (map fusion) → value sets → blocks → layers → embeddings.
/// The TorchSharp assembly (LLMML.Rasp.Torch) turns the result into a transformer.
/// </summary>
public static class RaspCompiler
{
    public static CompiledProgram Compile(SOp program, RaspCompilerOptions options, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxLength < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxLength must be at least 1.");
        if (options.Vocabulary.Count == 0) throw new ArgumentException("The vocabulary is empty.", nameof(options));
        if (options.Vocabulary.Distinct().Count() != options.Vocabulary.Count)
            throw new ArgumentException("The vocabulary has duplicate tokens.", nameof(options));
        if (options.Vocabulary.Any(v => v.IsNone || v == options.BosToken || v == options.PadToken))
            throw new ArgumentException($"The vocabulary must not contain None, '{options.BosToken}' or '{options.PadToken}'.", nameof(options));

        var watch = Stopwatch.StartNew();
        RaspValidator.Validate(ProgramGraph.Build(program));
        // The rules are checked against the program as written, so errors name the user's nodes.
        ValueSetInference.Infer(ProgramGraph.Build(program), options);
        var rewritten = options.FuseMaps ? MapFusion.Apply(program) : program;
        var graph = ProgramGraph.Build(rewritten);
        var sets = ValueSetInference.Infer(graph, options);

        var bos = new BasisDirection("tokens", options.BosToken);
        var layout = new ResidualLayout();
        layout.AddNumerical(ResidualLayout.One);
        layout.AddCategorical("tokens", options.Vocabulary.Append(options.BosToken));
        layout.AddCategorical("indices", Enumerable.Range(0, options.MaxLength).Select(i => (RaspValue)i));
        foreach (var sop in graph.SOps)
        {
            if (sop is TokensSOp or IndicesSOp) continue;
            var label = graph.LabelOf(sop);
            if (sop is SelectorWidthSOp) layout.AddNumerical(BlockBuilder.ScratchName(label));
            if (sop.Encoding == RaspEncoding.Numerical) layout.AddNumerical(label);
            else layout.AddCategorical(label, sets[sop].Values);
        }

        var builder = new BlockBuilder(graph, sets, options, bos);
        var blocks = graph.SOps.ToDictionary(s => s, builder.Build);
        var layers = LayerAllocator.Allocate(graph, blocks);

        var d = layout.Width;
        var tokenEmbedding = new double[options.Vocabulary.Count + 2, d];
        var one = layout[new BasisDirection(ResidualLayout.One)];
        tokenEmbedding[0, one] = 1;
        tokenEmbedding[0, layout[bos]] = 1;
        for (var i = 0; i < options.Vocabulary.Count; i++)
        {
            tokenEmbedding[i + 1, one] = 1;
            tokenEmbedding[i + 1, layout[new BasisDirection("tokens", options.Vocabulary[i])]] = 1;
        }
        var positionEmbedding = new double[options.MaxLength + 1, d];
        for (var p = 1; p <= options.MaxLength; p++)
        {
            positionEmbedding[p, layout[new BasisDirection("indices", p - 1)]] = 1;
            foreach (var full in graph.SOps.OfType<FullSOp>())
            {
                if (full.Value.IsNone) continue;
                var label = graph.LabelOf(full);
                if (full.Encoding == RaspEncoding.Numerical) positionEmbedding[p, layout[new BasisDirection(label)]] = full.Value.Number;
                else positionEmbedding[p, layout[new BasisDirection(label, full.Value)]] = 1;
            }
        }

        return new CompiledProgram
        {
            Name = name ?? graph.LabelOf(rewritten),
            Layout = layout,
            Layers = layers,
            Vocabulary = options.Vocabulary.ToList(),
            MaxLength = options.MaxLength,
            Causal = options.Causal,
            Output = graph.LabelOf(rewritten),
            OutputEncoding = rewritten.Encoding,
            ValueSets = sets.ToDictionary(kv => graph.LabelOf(kv.Key), kv => kv.Value),
            TokenEmbedding = tokenEmbedding,
            PositionEmbedding = positionEmbedding,
            BosToken = options.BosToken,
            PadToken = options.PadToken,
            CompileMilliseconds = watch.Elapsed.TotalMilliseconds,
        };
    }
}
