using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;

namespace LLMML.Rasp.Tests;

/// <summary>The double-precision intermediate form agrees with the reference evaluator.</summary>
public class OracleAgreementTests
{
    public static TheoryData<string, bool> Programs()
    {
        var data = new TheoryData<string, bool>();
        foreach (var e in ProgramCatalog.All)
        {
            data.Add(e.Name, e.Causal);
            if (!e.IsInjection) data.Add(e.Name, !e.Causal);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Ir_matches_evaluator(string name, bool causal)
    {
        var entry = ProgramCatalog.Get(name);
        const int maxLen = 5;
        var program = entry.Build(maxLen);
        var compiled = RaspCompiler.Compile(program, new RaspCompilerOptions { Vocabulary = entry.Vocabulary, MaxLength = maxLen, Causal = causal });
        foreach (var input in RandomInputs.Generate(entry.Vocabulary, maxLen, 40, seed: 7))
        {
            var expected = RaspEvaluator.Evaluate(program, input, causal);
            var actual = IrInterpreter.Evaluate(compiled, input);
            for (var i = 0; i < input.Length; i++)
                Assert.True(Same(expected[i], actual[i]),
                    $"{name} causal={causal} input [{string.Join(" ", input)}] position {i}: expected {expected[i]}, compiled {actual[i]}");
        }
    }

    internal static bool Same(RaspValue expected, RaspValue actual) =>
        expected.IsNumber && actual.IsNumber ? Math.Abs(expected.Number - actual.Number) < 1e-3 : expected == actual;
}
