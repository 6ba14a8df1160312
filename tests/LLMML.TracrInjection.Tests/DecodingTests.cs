using LLMML.Rasp.Language;
using LLMML.TestFramework;
using LLMML.TracrInjection.Alignment;
using LLMML.TracrInjection.Decoding;
using LLMML.TracrInjection.Teachers;
using LLMML.TracrInjection.Training;
using static LLMML.Rasp.Language.RaspOps;
using static TorchSharp.torch;

namespace LLMML.TracrInjection.Tests;

public class DecodingTests
{
    [Fact]
    public void Decoding_the_teachers_own_residual_stream_reproduces_the_interpreter_trace()
    {
        using var scope = NewDisposeScope();
        using var teacher = InjectionTeacher.Compile(InjectionProgramCatalog.Count, 12);
        RaspValue[][] inputs =
        [
            ["_", "x", "y", "x", "_", ":", "1", "_"],
            ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x", "x", ":"],
            ["y", ":", "0"],
        ];
        var ids = teacher.Model.Encode(inputs);
        var last = teacher.Model.RecordResiduals(ids)[^1];
        var stream = last.narrow(1, 1, last.shape[1] - 1);                  // drop BOS: position 0 = input token 0
        var lengths = inputs.Select(i => i.Length).ToArray();
        var decoded = VariableDecoder.DecodeAll(stream, teacher.Model.Config, lengths);
        var rows = inputs.Select((input, b) => new DecodedRow(input.Select(v => v.ToString()).ToArray(), input,
            decoded.ToDictionary(kv => kv.Key, kv => kv.Value[b]))).ToList();
        var accuracy = VariableDecoder.Accuracy(rows, teacher.Sop, teacher.Model.Config);
        accuracy.Should().NotBeEmpty();
        accuracy.Should().OnlyContain(a => a.Correct == a.Total && a.Total > 0);
        rows[1].Variables["final_result"][11].Should().Be((RaspValue)"1");   // 11 x's: first digit at the trigger
    }

    [Fact]
    public void Causality_spans_are_orthonormal_and_the_variable_span_holds_the_adapter_rows()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        var random = CausalityProbe.RandomSpan(16, 5, seed: 3);
        random.shape.Should().Equal(16, 5);
        (random.t().matmul(random) - eye(5)).abs().max().item<float>().Should().BeLessThan(1e-5f);
        var again = CausalityProbe.RandomSpan(16, 5, seed: 3);
        (again - random).abs().max().item<float>().Should().Be(0, "seeded");

        var weight = randn(10, 16);
        weight[4] = weight[2] * 3 - weight[3];                        // rows 2..5 have rank 3
        var span = CausalityProbe.VariableSpan(weight, 2, 4);
        span.shape.Should().Equal(16, 3);
        (span.t().matmul(span) - eye(3)).abs().max().item<float>().Should().BeLessThan(1e-5f);
        var rows = weight.narrow(0, 2, 4);
        (rows.matmul(span).matmul(span.t()) - rows).abs().max().item<float>().Should().BeLessThan(1e-4f);
    }

    [Fact]
    public void An_lm_shallower_than_the_program_is_refused_naming_both_depths()
    {
        var act = () => TracrInjector.RequireDepth(2, 3, new InjectionSettings());
        act.Should().Throw<ArgumentException>().WithMessage("The LM has 2 blocks but the compiled program has 3 layers*");
        var roll = () => TracrInjector.RequireDepth(3, 3, new InjectionSettings());
        roll.Should().Throw<ArgumentException>().WithMessage("*needs 4 blocks*AtLastAlignedState*");
        TracrInjector.RequireDepth(3, 3, new InjectionSettings { RollAt = RollPosition.AtLastAlignedState });
        TracrInjector.RequireDepth(3, 3, new InjectionSettings { Baseline = true });
    }

    internal static InjectionProgram LengthProgram { get; } = new("length", null,
        () => SelectorWidth(Select(Tokens, Tokens, Comparison.TRUE)).Named(InjectionProgram.OutputName),
        ["a", "b", ":", "_"],
        new AlignmentSpec { Filler = "_", Trigger = ":", TokenMap = new Dictionary<string, string> { ["a"] = "a", ["b"] = "b" } });

    [Fact]
    public void A_tiny_end_to_end_run_injects_length_into_a_two_block_model_and_decodes_it()
    {
        using var lm = TinyLanguageModels.CharacterGpt2("ab :\n", seed: 11, hidden: 32, layers: 2, context: 24);
        var random = new Random(5);
        string Word() => new(Enumerable.Range(0, random.Next(3, 10)).Select(_ => random.Next(2) == 0 ? 'a' : 'b').ToArray());
        var rows = Enumerable.Range(0, 200).Select(_ => new LLMML.MLNet.Tasks.TaskExample(Word() + ":", "a")).ToList();
        var sequences = InjectionData.Align(lm, LengthProgram.Alignment, rows, "\n");
        using var teacher = InjectionTeacher.Compile(LengthProgram, 16);
        var examples = sequences.Select(s => new InjectionExample(s, new Dictionary<int, RaspValue>())).ToList();
        teacher.Verify(examples.Select(e => e.ToTeacherExample()).ToList());

        var settings = new InjectionSettings
        {
            Steps = 250, TaskBatchSize = 4, NaturalBatchSize = 2, LmLearningRate = 3e-3, AdapterLearningRate = 3e-2, Seed = 1,
        };
        var result = TracrInjector.Train(lm, teacher, examples, ["ab ba ab", "b a b a"], settings);
        using var adapter = result.Adapter;
        result.Terms.Should().HaveCount(250);
        result.Terms[^1].Alg.Should().BeLessThan(result.Terms[0].Alg / 3, "the alignment loss falls");

        var heldOut = Enumerable.Range(0, 40).Select(_ => new LLMML.MLNet.Tasks.TaskExample(Word() + ":", "a")).ToList();
        var decoded = VariableDecoder.Decode(lm, adapter, teacher.Model.Config, InjectionData.Align(lm, LengthProgram.Alignment, heldOut, "\n"), layer: teacher.Layers);
        var accuracy = VariableDecoder.Accuracy(decoded, teacher.Sop, teacher.Model.Config).Single(a => a.Variable == InjectionProgram.OutputName);
        accuracy.Accuracy.Should().BeGreaterThanOrEqualTo(0.95, $"{accuracy.Correct}/{accuracy.Total} positions decode");
    }
}
