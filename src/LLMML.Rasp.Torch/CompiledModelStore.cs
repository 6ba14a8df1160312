using System.Text.Json;
using System.Text.Json.Serialization;
using LLMML.Foundation.Persistence;
using LLMML.Rasp.Torch.Modules;
using static TorchSharp.torch;

namespace LLMML.Rasp.Torch;

/// <summary>
/// Saves a compiled model as a directory: model.safetensors (weights, keys = module field paths)
/// and labels.json (<see cref="CompiledModelConfig"/>: shapes, vocabulary, residual labels). Each
/// file is written atomically; loading checks the labels and every tensor (through the validating
/// safetensors reader) before a model of that size is allocated.
/// </summary>
public static class CompiledModelStore
{
    public const string WeightsFile = "model.safetensors";
    public const string LabelsFile = "labels.json";

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Save(CompiledModel model, string directory)
    {
        using var _ = no_grad();
        var tensors = new Dictionary<string, TensorData>();
        foreach (var (name, p) in model.Transformer.named_parameters())
        {
            using var c = p.detach().cpu().contiguous();
            tensors[name] = TensorData.FromFloat32(c.data<float>().ToArray(), c.shape);
        }
        // Weights first: a crash in between leaves the old labels, which no longer match and are refused on load.
        AtomicFile.Write(Path.Combine(directory, WeightsFile), s => SafetensorsFormat.Write(s, tensors));
        AtomicFile.Write(Path.Combine(directory, LabelsFile), s => JsonSerializer.Serialize(s, model.Config, JsonOptions));
    }

    public static CompiledModel Load(string directory)
    {
        var labels = Path.Combine(directory, LabelsFile);
        var weights = Path.Combine(directory, WeightsFile);
        if (!File.Exists(labels)) throw new FileNotFoundException($"No {LabelsFile} in '{directory}'.", labels);
        if (!File.Exists(weights)) throw new FileNotFoundException($"No {WeightsFile} in '{directory}'.", weights);
        CompiledModelConfig config;
        try
        {
            config = JsonSerializer.Deserialize<CompiledModelConfig>(File.ReadAllText(labels), JsonOptions)
                ?? throw new InvalidDataException($"'{labels}' is empty.");
        }
        catch (JsonException e) { throw new InvalidDataException($"'{labels}' is not a compiled model's labels: {e.Message}", e); }
        config.Validate(labels);

        var content = SafetensorsFormat.Read(File.ReadAllBytes(weights), weights);
        var stored = content.Tensors.Values.Sum(t => t.ElementCount);
        if (stored != config.ParameterCount)
            throw new InvalidDataException($"'{weights}' holds {stored:N0} weights, but '{labels}' describes a model of {config.ParameterCount:N0}.");

        var transformer = new CompiledTransformer(config);
        try
        {
            using var _ = no_grad();
            foreach (var (name, p) in transformer.named_parameters())
            {
                if (!content.Tensors.TryGetValue(name, out var t)) throw new InvalidDataException($"'{weights}' has no tensor '{name}'.");
                if (t.DType != TensorDType.Float32 || !t.Shape.SequenceEqual(p.shape))
                    throw new InvalidDataException($"'{weights}': tensor '{name}' is {t.DType} {t.ShapeText}, expected Float32 [{string.Join(", ", p.shape)}].");
                using var source = tensor(t.ToFloat32Array(), p.shape);
                p.copy_(source);
            }
        }
        catch
        {
            transformer.Dispose();
            throw;
        }
        TransformerAssembler.Freeze(transformer);
        return new CompiledModel(transformer);
    }
}
