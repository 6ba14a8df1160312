using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using LLMML.Rasp.Torch;
using TorchSharp;

namespace LLMML.Rasp.Tests;

/// <summary>
/// The assembled float32 transformer computes the program: its output equals the reference
/// evaluator's on 500 random inputs of every length up to the maximum (categorical exactly,
/// numerical within 1e-3), all in one padded batch.
/// </summary>
public class TorchAgreementTests
{
    private const int PerLength = 500;

    public static TheoryData<string, bool, int> Programs()
    {
        var data = new TheoryData<string, bool, int>();
        foreach (var e in ProgramCatalog.All)
        {
            var maxLen = e.IsInjection ? 10 : 8;
            data.Add(e.Name, e.Causal, maxLen);
            if (!e.IsInjection) data.Add(e.Name, !e.Causal, maxLen);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Compiled_model_matches_evaluator(string name, bool causal, int maxLen)
    {
        var entry = ProgramCatalog.Get(name);
        var program = entry.Build(maxLen);
        var compiled = RaspCompiler.Compile(program, new RaspCompilerOptions { Vocabulary = entry.Vocabulary, MaxLength = maxLen, Causal = causal });
        using var model = CompiledModel.Assemble(compiled);
        var inputs = RandomInputs.Generate(entry.Vocabulary, maxLen, PerLength, seed: 11).ToList();
        var outputs = model.Run(inputs);
        var mismatches = 0;
        string? first = null;
        for (var b = 0; b < inputs.Count; b++)
        {
            var expected = RaspEvaluator.Evaluate(program, inputs[b], causal);
            for (var i = 0; i < expected.Length; i++)
            {
                if (OracleAgreementTests.Same(expected[i], outputs[b][i])) continue;
                mismatches++;
                first ??= $"[{string.Join(" ", inputs[b])}] position {i}: expected {expected[i]}, model {outputs[b][i]}";
            }
        }
        Assert.True(mismatches == 0, $"{name} (causal={causal}, N={maxLen}): {mismatches} mismatches; first {first}");
    }

    [Theory]
    [InlineData("shuffle_dyck")]
    [InlineData("addition")]
    public void Residual_after_every_layer_equals_the_double_precision_oracle(string name)
    {
        var entry = ProgramCatalog.Get(name);
        var compiled = RaspCompiler.Compile(entry.Build(6), new RaspCompilerOptions { Vocabulary = entry.Vocabulary, MaxLength = 6, Causal = entry.Causal });
        using var model = CompiledModel.Assemble(compiled);
        foreach (var input in RandomInputs.Generate(entry.Vocabulary, 6, 3, seed: 5))
        {
            var oracle = IrInterpreter.Run(compiled, compiled.Encode(input));
            using var scope = torch.NewDisposeScope();
            using var _ = torch.no_grad();
            var states = model.RecordResiduals(model.Encode([input]));
            states.Should().HaveCount(compiled.LayerCount + 1);
            // Without the BOS position (as an adapter's image of an LM stream would be), firstPosition 0.
            var withoutBos = states[^1].narrow(1, 1, input.Length);
            model.DecodeVariable(withoutBos, model.Config.Output, [input.Length], firstPosition: 0)[0]
                .Should().Equal(model.Run([input])[0]);
            for (var l = 0; l < states.Count; l++)
            {
                var data = states[l].data<float>().ToArray();
                var d = compiled.ResidualWidth;
                for (var p = 0; p <= input.Length; p++)
                    for (var j = 0; j < d; j++)
                        Assert.True(Math.Abs(data[p * d + j] - oracle[l][p, j]) < 1e-3,
                            $"{name} layer {l} position {p} dim {compiled.Layout.Directions[j]}: torch {data[p * d + j]}, oracle {oracle[l][p, j]}");
            }
        }
    }

    [Fact]
    public void Recorded_residuals_are_one_per_layer_entry_plus_the_last_output_with_every_dimension_labelled()
    {
        var entry = ProgramCatalog.Get("reverse");
        var compiled = RaspCompiler.Compile(entry.Build(5), new RaspCompilerOptions { Vocabulary = entry.Vocabulary, MaxLength = 5 });
        using var model = CompiledModel.Assemble(compiled);
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        RaspValue[][] inputs = [[entry.Vocabulary[0], entry.Vocabulary[1], entry.Vocabulary[2]], [entry.Vocabulary[1]]];
        var ids = model.Encode(inputs);
        var states = model.RecordResiduals(ids);
        states.Should().HaveCount(compiled.LayerCount + 1);
        foreach (var s in states) s.shape.Should().Equal(2, 4, compiled.ResidualWidth);
        model.ResidualLabels.Should().Equal(compiled.Layout.Directions.Select(d => d.Label));
        // [0] is the embeddings: token row + position row of the IR, for the first sequence.
        var first = states[0][0].data<float>().ToArray();
        var tokenIds = compiled.Encode(inputs[0]);
        for (var p = 0; p < tokenIds.Length; p++)
            for (var j = 0; j < compiled.ResidualWidth; j++)
                first[p * compiled.ResidualWidth + j].Should().Be((float)(compiled.TokenEmbedding[tokenIds[p], j] + compiled.PositionEmbedding[p, j]));
        // [L] is what the model decodes its output from.
        model.DecodeVariable(states[^1], compiled.Output, [3, 1]).Should().BeEquivalentTo(model.Run(inputs), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Save_and_load_round_trip_keeps_weights_and_labels()
    {
        var entry = ProgramCatalog.Get("sort");
        var compiled = RaspCompiler.Compile(entry.Build(5), new RaspCompilerOptions { Vocabulary = entry.Vocabulary, MaxLength = 5 });
        using var model = CompiledModel.Assemble(compiled);
        var dir = Path.Combine(Path.GetTempPath(), "llmml-rasp-" + Guid.NewGuid().ToString("N"));
        try
        {
            CompiledModelStore.Save(model, dir);
            using var loaded = CompiledModelStore.Load(dir);
            loaded.Config.ResidualLabels.Should().Equal(compiled.Layout.Directions.Select(d => d.Label));
            loaded.Config.Vocabulary.Should().Equal(entry.Vocabulary);
            loaded.Config.OutputVariable.Values.Should().Equal(compiled.OutputRange.Values);
            var input = RandomInputs.Numbers(4, 2, 4, 1, 3);
            loaded.Run([input])[0].Should().Equal(RaspEvaluator.Evaluate(entry.Build(5), input));
            var a = model.Transformer.state_dict();
            var b = loaded.Transformer.state_dict();
            b.Keys.Should().BeEquivalentTo(a.Keys);
            foreach (var key in a.Keys) Assert.True(a[key].allclose(b[key], 0, 0), key);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Reverse_123_assembles_to_at_most_tracr_size()
    {
        var compiled = RaspCompiler.Compile(RaspLibrary.Reverse(RaspOps.Tokens),
            new RaspCompilerOptions { Vocabulary = RandomInputs.Numbers(1, 2, 3), MaxLength = 5 });
        using var model = CompiledModel.Assemble(compiled);
        model.Config.DModel.Should().BeLessThanOrEqualTo(41);
        model.Config.Layers.Should().BeLessThanOrEqualTo(4);
        model.Config.MlpHidden.Should().BeLessThanOrEqualTo(30);
        model.Config.KeySize.Should().BeLessThanOrEqualTo(12);
    }
}
