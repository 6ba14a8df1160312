using System.Text.Json.Nodes;
using LLMML.Foundation.Persistence;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Library;
using LLMML.Rasp.Torch;

namespace LLMML.Rasp.Tests;

/// <summary>A saved compiled model is refused with a message naming the file when its labels or weights do not fit together.</summary>
public sealed class CompiledModelStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llmml-rasp-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CompiledModel SaveReverse()
    {
        var entry = ProgramCatalog.Get("reverse");
        var model = CompiledModel.Assemble(RaspCompiler.Compile(entry.Build(4), new RaspCompilerOptions { Vocabulary = entry.Vocabulary, MaxLength = 4 }));
        CompiledModelStore.Save(model, _dir);
        return model;
    }

    private string Labels => Path.Combine(_dir, CompiledModelStore.LabelsFile);
    private string Weights => Path.Combine(_dir, CompiledModelStore.WeightsFile);

    [Fact]
    public void The_labels_count_the_same_weights_as_the_model_and_a_reload_runs_alike()
    {
        using var model = SaveReverse();
        model.Config.ParameterCount.Should().Be(model.ParameterCount);
        using var loaded = CompiledModelStore.Load(_dir);
        var input = RandomInputs.Chars("abdc");
        loaded.Run([input])[0].Should().Equal(RandomInputs.Chars("cdba"));
        Directory.GetFiles(_dir).Select(Path.GetFileName).Should().BeEquivalentTo([CompiledModelStore.LabelsFile, CompiledModelStore.WeightsFile]);
    }

    [Fact]
    public void Labels_describing_a_huge_model_are_refused_before_allocating_it()
    {
        using var _ = SaveReverse();
        var json = JsonNode.Parse(File.ReadAllText(Labels))!;
        json["DModel"] = 1 << 30;
        File.WriteAllText(Labels, json.ToJsonString());
        FluentActions.Invoking(() => CompiledModelStore.Load(_dir)).Should().Throw<InvalidDataException>().WithMessage($"*{Labels}*");
    }

    [Fact]
    public void Weights_that_do_not_match_the_labels_are_refused_naming_the_file()
    {
        using var _ = SaveReverse();
        var content = SafetensorsFormat.Read(File.ReadAllBytes(Weights), Weights);
        var tensors = content.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value);
        var (key, t) = tensors.First(kv => kv.Key.Contains("q_proj"));
        // Same element count, transposed shape.
        tensors[key] = new TensorData(t.DType, [t.Shape[1], t.Shape[0]], t.Bytes.ToArray());
        File.WriteAllBytes(Weights, SafetensorsFormat.Write(tensors));
        FluentActions.Invoking(() => CompiledModelStore.Load(_dir)).Should().Throw<InvalidDataException>()
            .Where(e => e.Message.Contains(Weights) && e.Message.Contains(key));
    }

    [Fact]
    public void Truncated_weights_are_refused_naming_the_file()
    {
        using var _ = SaveReverse();
        var bytes = File.ReadAllBytes(Weights);
        File.WriteAllBytes(Weights, bytes[..(bytes.Length / 2)]);
        FluentActions.Invoking(() => CompiledModelStore.Load(_dir)).Should().Throw<InvalidDataException>().WithMessage($"*{Weights}*");
    }
}
