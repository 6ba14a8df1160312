using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using LLMML.Rasp.Torch;

namespace LLMML.Cli.Commands;

/// <summary>Size and timing of one compilation, as printed by `rasp compile` and `rasp bench`.</summary>
internal sealed record RaspCompileReport(
    string Program, int MaxLength, bool Causal, int Vocabulary, int DModel, int Layers, int Heads, int KeySize, int ValueSize,
    int MlpHidden, long Parameters, double CompileMilliseconds, double AssembleMilliseconds, bool Optimised = true);

/// <summary>Agreement of one compiled program with the evaluator.</summary>
internal sealed record RaspCheckReport(string Program, bool Causal, int MaxLength, int Inputs, int Positions,
    double ModelAgreement, double OracleAgreement, string? FirstMismatch);

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
        string name, SOp program, IReadOnlyList<RaspValue> vocab, int maxLen, bool causal, bool optimise = true)
    {
        var options = new RaspCompilerOptions
        {
            Vocabulary = vocab, MaxLength = maxLen, Causal = causal, FuseMaps = optimise, LinearSequenceMapDetection = optimise,
        };
        var compiled = RaspCompiler.Compile(program, options, name);
        var watch = Stopwatch.StartNew();
        var model = CompiledModel.Assemble(compiled);
        var assembleMs = watch.Elapsed.TotalMilliseconds;
        var c = model.Config;
        var report = new RaspCompileReport(name, maxLen, causal, vocab.Count, c.DModel, c.Layers, c.Heads, c.KeySize, c.ValueSize,
            c.MlpHidden, model.ParameterCount, Math.Round(compiled.CompileMilliseconds, 2), Math.Round(assembleMs, 2), optimise);
        return (report, compiled, model);
    }

    /// <summary>Runs the compiled model and the IR oracle against the evaluator on random inputs of every length.</summary>
    public static RaspCheckReport Check(CatalogEntry entry, int maxLen, int perLength, bool causal, int seed)
    {
        var program = entry.Build(maxLen);
        var (_, compiled, model) = CompileAndAssemble(entry.Name, program, entry.Vocabulary, maxLen, causal);
        using var _m = model;
        var rng = new Random(seed);
        var inputs = new List<IReadOnlyList<RaspValue>>();
        for (var n = 1; n <= maxLen; n++)
            for (var i = 0; i < perLength; i++)
                inputs.Add(Enumerable.Range(0, n).Select(_ => entry.Vocabulary[rng.Next(entry.Vocabulary.Count)]).ToArray());
        var outputs = model.Run(inputs);
        int positions = 0, modelOk = 0, oracleOk = 0, oracleChecked = 0;
        string? first = null;
        for (var b = 0; b < inputs.Count; b++)
        {
            var expected = RaspEvaluator.Evaluate(program, inputs[b], causal);
            // The double-precision oracle is slow (plain loops): check it on every 10th input.
            var oracle = b % 10 == 0 ? IrInterpreter.Evaluate(compiled, inputs[b]) : null;
            for (var i = 0; i < expected.Length; i++)
            {
                positions++;
                if (Same(expected[i], outputs[b][i])) modelOk++;
                else first ??= $"[{string.Join(" ", inputs[b])}] position {i}: expected {expected[i]}, model {outputs[b][i]}";
                if (oracle is null) continue;
                oracleChecked++;
                if (Same(expected[i], oracle[i])) oracleOk++;
            }
        }
        return new RaspCheckReport(entry.Name, causal, maxLen, inputs.Count, positions,
            (double)modelOk / positions, oracleChecked == 0 ? 1 : (double)oracleOk / oracleChecked, first);
    }

    private static bool Same(RaspValue expected, RaspValue actual) =>
        expected.IsNumber && actual.IsNumber ? Math.Abs(expected.Number - actual.Number) < 1e-3 : expected == actual;
}
