using LLMML.Foundation.Progress;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Torch.Verification;

/// <summary>How often a compiled program agrees with the reference evaluator.</summary>
/// <param name="ModelAgreement">Fraction of positions where the float32 transformer equals the evaluator.</param>
/// <param name="OracleAgreement">Same for the double-precision intermediate form (on every <c>oracleEvery</c>-th input).</param>
public sealed record AgreementReport(string Program, bool Causal, int MaxLength, int Inputs, int Positions,
    double ModelAgreement, double OracleAgreement, string? FirstMismatch);

/// <summary>
/// Compiles a program, runs seeded random inputs of every length 1..N through the assembled model
/// (one batch per length) and the IR oracle, and compares with the evaluator: categorical values
/// exactly, numbers within 1e-3.
/// </summary>
public static class AgreementCheck
{
    public static AgreementReport Run(string name, SOp program, RaspCompilerOptions options, int perLength, int seed,
        int oracleEvery = 10, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perLength, 1);
        var compiled = RaspCompiler.Compile(program, options, name);
        using var model = CompiledModel.Assemble(compiled);
        var rng = new Random(seed);
        int inputs = 0, positions = 0, modelOk = 0, oracleOk = 0, oracleChecked = 0;
        string? first = null;
        for (var n = 1; n <= options.MaxLength; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new List<IReadOnlyList<RaspValue>>();
            for (var i = 0; i < perLength; i++)
                batch.Add(Enumerable.Range(0, n).Select(_ => options.Vocabulary[rng.Next(options.Vocabulary.Count)]).ToArray());
            var outputs = model.Run(batch);
            for (var b = 0; b < batch.Count; b++, inputs++)
            {
                var expected = RaspEvaluator.Evaluate(program, batch[b], options.Causal);
                var oracle = inputs % oracleEvery == 0 ? IrInterpreter.Evaluate(compiled, batch[b]) : null;
                for (var i = 0; i < expected.Length; i++)
                {
                    positions++;
                    if (Same(expected[i], outputs[b][i])) modelOk++;
                    else first ??= $"[{string.Join(" ", batch[b])}] position {i}: expected {expected[i]}, model {outputs[b][i]}";
                    if (oracle is null) continue;
                    oracleChecked++;
                    if (Same(expected[i], oracle[i])) oracleOk++;
                }
            }
            progress?.Report(new ProgressUpdate($"check {name}", n, options.MaxLength,
                new Dictionary<string, double> { ["agreement"] = (double)modelOk / positions }));
        }
        return new AgreementReport(name, options.Causal, options.MaxLength, inputs, positions,
            (double)modelOk / positions, oracleChecked == 0 ? 1 : (double)oracleOk / oracleChecked, first);
    }

    /// <summary>Categorical values must be equal; numbers may differ by 1e-3.</summary>
    public static bool Same(RaspValue expected, RaspValue actual) =>
        expected.IsNumber && actual.IsNumber ? Math.Abs(expected.Number - actual.Number) < 1e-3 : expected == actual;
}
