using System.Diagnostics;
using System.Text.Json.Serialization;
using System.Text.Json;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using LLMML.Rasp.Torch;

namespace LLMML.Cli.Commands;

/// <summary>Size and timing of one compilation, as printed by `rasp compile` and `bench rasp`.</summary>
internal sealed record RaspCompileReport(
    string Program, int MaxLength, bool Causal, int Vocabulary, int DModel, int Layers, int Heads, int KeySize, int ValueSize,
    int MlpHidden, long Parameters, double CompileMilliseconds, double AssembleMilliseconds, bool Optimised = true);


internal static class RaspCliSupport
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static IReadOnlyList<RaspValue> ParseVocabulary(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(RaspValue.Parse).ToList();

    public static (RaspCompileReport Report, CompiledProgram Program, CompiledModel Model) CompileAndAssemble(
        string name, SOp program, RaspCompilerOptions options)
    {
        var compiled = RaspCompiler.Compile(program, options, name);
        var watch = Stopwatch.StartNew();
        var model = CompiledModel.Assemble(compiled);
        var assembleMs = watch.Elapsed.TotalMilliseconds;
        var c = model.Config;
        var report = new RaspCompileReport(name, options.MaxLength, options.Causal, options.Vocabulary.Count, c.DModel, c.Layers, c.Heads,
            c.KeySize, c.ValueSize, c.MlpHidden, model.ParameterCount, Math.Round(compiled.CompileMilliseconds, 2), Math.Round(assembleMs, 2),
            options.FuseMaps && options.LinearSequenceMapDetection);
        return (report, compiled, model);
    }
}
