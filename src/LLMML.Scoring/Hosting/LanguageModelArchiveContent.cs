using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Checkpoints;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using static TorchSharp.torch;

namespace LLMML.Scoring.Hosting;

/// <summary>
/// A <see cref="LanguageModel"/> as archive content: weights as tensors under their Hugging Face names (prefixed
/// <see cref="TensorPrefix"/>), config.json and the tokenizer files as blobs under <see cref="BlobPrefix"/> — i.e. the
/// checkpoint directory, zipped into the component's archive, so a saved scorer needs no model directory to load.
/// </summary>
public static class LanguageModelArchiveContent
{
    public const string TensorPrefix = "model/", BlobPrefix = "checkpoint/";

    public static (Dictionary<string, TensorData> Tensors, Dictionary<string, byte[]> Blobs) Write(LanguageModel model)
    {
        var tensors = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        var state = ModelCheckpoint.ExportStateDict(model.Model);
        try
        {
            foreach (var (name, t) in state)
                tensors[TensorPrefix + name] = TensorData.FromFloat32(t.data<float>().ToArray(), t.shape);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }

        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var temp = TempDirectory();
        try
        {
            model.Config.Save(Path.Combine(temp, "config.json"));
            TokenizerStore.Save(model.Tokenizer, temp);
            foreach (var file in Directory.EnumerateFiles(temp))
                blobs[BlobPrefix + Path.GetFileName(file)] = File.ReadAllBytes(file);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
        return (tensors, blobs);
    }

    /// <summary>Rebuilds the model on <paramref name="device"/>; any inconsistency throws <see cref="InvalidDataException"/> naming the archive.</summary>
    public static LanguageModel Read(ModelArchive archive, Device device)
    {
        var temp = TempDirectory();
        CausalLanguageModel? model = null;
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, bytes) in archive.Blobs.Where(b => b.Key.StartsWith(BlobPrefix, StringComparison.Ordinal)))
            {
                var file = name[BlobPrefix.Length..];
                if (file.Length == 0 || file.Contains('/') || file.Contains('\\'))
                    throw new InvalidDataException($"{archive.SourceName}: unexpected checkpoint blob '{name}'.");
                File.WriteAllBytes(Path.Combine(temp, file), bytes);
            }
            if (!File.Exists(Path.Combine(temp, "config.json")))
                throw new InvalidDataException($"{archive.SourceName}: blob '{BlobPrefix}config.json' is missing.");
            var config = TransformerConfig.Load(Path.Combine(temp, "config.json"));
            var tokenizer = TokenizerStore.Load(temp);
            foreach (var (name, data) in archive.Tensors.Where(t => t.Key.StartsWith(TensorPrefix, StringComparison.Ordinal)))
            {
                if (data.DType != TensorDType.Float32)
                    throw new InvalidDataException($"{archive.SourceName}: tensor '{name}' is {data.DType}, expected Float32.");
                weights[name[TensorPrefix.Length..]] = tensor(data.ToFloat32Array(), data.Shape.ToArray());
            }
            model = new CausalLanguageModel(config);
            ModelCheckpoint.ImportStateDict(model, weights);
            model.eval();
            return new LanguageModel(model, tokenizer, device);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            model?.Dispose();
            if (e is InvalidDataException && e.Message.StartsWith(archive.SourceName, StringComparison.Ordinal)) throw;
            throw new InvalidDataException($"{archive.SourceName}: the language model in the archive cannot be rebuilt: {e.Message}", e);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
            Directory.Delete(temp, recursive: true);
        }
    }

    private static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "llmml-scoring-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
