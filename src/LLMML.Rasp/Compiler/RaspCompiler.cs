using System.Diagnostics;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;
using LLMML.Rasp.Passes;

namespace LLMML.Rasp.Compiler;

/// <summary>
/// Compiles a RASP program to the intermediate form (<see cref="CompiledProgram"/>), one pass after
/// another (each in <c>Passes/</c>): rules → map fusion → value sets → residual layout → blocks →
/// layers → size check → embeddings. The TorchSharp assembly (LLMML.Rasp.Torch) turns the result
/// into a transformer.
/// </summary>
public static class RaspCompiler
{
    public static CompiledProgram Compile(SOp program, RaspCompilerOptions options, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var watch = Stopwatch.StartNew();

        // The rules are checked against the program as written, so errors name the user's nodes.
        var written = ProgramGraph.Build(program);
        RaspValidator.Validate(written);
        ValueSetInference.Infer(written, options);

        var rewritten = options.FuseMaps ? MapFusion.Apply(program) : program;
        var graph = ProgramGraph.Build(rewritten);
        var sets = ValueSetInference.Infer(graph, options);
        var layout = ResidualLayoutBuilder.Build(graph, sets, options);
        var blocks = BlockBuilder.BuildAll(graph, sets, options);
        var layers = LayerAllocator.Allocate(graph, blocks);
        SizeEstimator.Check(graph, layout, blocks, layers, options);
        var embeddings = EmbeddingBuilder.Build(graph, layout, options);

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
            TokenEmbedding = embeddings.Token,
            PositionEmbedding = embeddings.Position,
            BosToken = options.BosToken,
            PadToken = options.PadToken,
            CompileMilliseconds = watch.Elapsed.TotalMilliseconds,
        };
    }
}
