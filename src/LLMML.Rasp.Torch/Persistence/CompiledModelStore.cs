using System.Text.Json;
using System.Text.Json.Serialization;
using LLMML.Rasp.Torch.Modules;
using TorchSharp.PyBridge;

namespace LLMML.Rasp.Torch.Persistence;

/// <summary>
/// Saves a compiled model as a directory: model.safetensors (weights, keys = module field paths)
/// and labels.json (<see cref="CompiledModelConfig"/>: shapes, vocabulary, residual labels).
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
        Directory.CreateDirectory(directory);
        model.Transformer.save_safetensors(Path.Combine(directory, WeightsFile));
        File.WriteAllText(Path.Combine(directory, LabelsFile), JsonSerializer.Serialize(model.Config, JsonOptions));
    }

    public static CompiledModel Load(string directory)
    {
        var labels = Path.Combine(directory, LabelsFile);
        var weights = Path.Combine(directory, WeightsFile);
        if (!File.Exists(labels)) throw new FileNotFoundException($"No {LabelsFile} in '{directory}'.", labels);
        if (!File.Exists(weights)) throw new FileNotFoundException($"No {WeightsFile} in '{directory}'.", weights);
        var config = JsonSerializer.Deserialize<CompiledModelConfig>(File.ReadAllText(labels), JsonOptions)
            ?? throw new InvalidDataException($"'{labels}' is empty.");
        var transformer = new CompiledTransformer(config);
        transformer.load_safetensors(weights);
        Assembly.TransformerAssembler.Freeze(transformer);
        return new CompiledModel(transformer);
    }
}
