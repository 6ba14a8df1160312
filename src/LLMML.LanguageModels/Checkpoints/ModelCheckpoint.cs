using LLMML.Foundation.Persistence;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLMML.LanguageModels.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Checkpoints;

/// <summary>
/// Hugging Face checkpoint directories: <c>config.json</c> + <c>model.safetensors</c>, or shards listed in
/// <c>model.safetensors.index.json</c>. Tensor names and layouts are exactly transformers' (GPT-2 Conv1D [in, out],
/// fused c_attn; LLaMA/Qwen2/Mistral; Phi), so checkpoints go both ways.
/// </summary>
public static class ModelCheckpoint
{
    public const string WeightsFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>
    /// Loads config and weights into a new model on <paramref name="device"/> (CPU when null), in eval mode.
    /// All tensors are checked before any is used: a missing, unexpected or misshaped tensor throws an
    /// <see cref="InvalidDataException"/> naming it, and nothing half-loaded is returned.
    /// </summary>
    public static CausalLanguageModel Load(string directory, Device? device = null)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Checkpoint directory '{directory}' does not exist.");
        var config = TransformerConfig.Load(Path.Combine(directory, HfConfigFile.FileName));
        // Headers only: the config is checked against what the files hold before anything is allocated for either.
        var files = WeightFiles(directory);
        CheckSize(config, directory, files.Values.Distinct().Select(SafetensorsFile.ReadHeader).ToList());
        var tensors = ReadWeights(directory, files);
        CausalLanguageModel? model = null;
        try
        {
            model = new CausalLanguageModel(config);
            ImportStateDict(model, tensors);
            model.to(device ?? CPU);
            model.eval();
            return model;
        }
        catch
        {
            model?.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Memory a load may use at most (file tensors plus the float32 model), in bytes; null = the memory available to the
    /// process (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>). Set it to refuse large checkpoints earlier.
    /// </summary>
    public static long? MaxLoadBytes { get; set; }

    /// <summary>
    /// Refuses, before any allocation, a config that describes more parameters than the weight files hold (a config
    /// that does not belong to these weights, or <c>vocab_size = 1e12</c>), and a model larger than memory.
    /// </summary>
    private static void CheckSize(TransformerConfig config, string directory, IReadOnlyList<SafetensorsHeader> headers)
    {
        double fileElements = 0, fileBytes = 0;
        foreach (var e in headers.SelectMany(h => h.Entries))
        {
            fileElements += e.Shape.Aggregate(1.0, (n, d) => n * d);
            fileBytes += e.End - e.Begin;
        }
        var parameters = MinimumParameterCount(config);
        if (parameters > fileElements)
            throw new InvalidDataException(
                $"{Path.Combine(directory, HfConfigFile.FileName)} describes a model of at least {parameters:0.###e0} parameters, but the weight files hold only " +
                $"{fileElements:0.###e0} values; config and weights do not belong together.");
        var needed = fileBytes + parameters * sizeof(float);
        var limit = MaxLoadBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (needed > limit)
            throw new InsufficientMemoryException(
                $"Loading '{directory}' needs about {needed / (1 << 20):N0} MiB (weights plus the float32 model), more than the {limit / (1 << 20):N0} MiB available.");
    }

    // A lower bound every family reaches: token embeddings, learned positions, and per layer the query and output
    // projections plus the MLP's up and down matrices. In doubles, so absurd configs cannot overflow it.
    private static double MinimumParameterCount(TransformerConfig c)
    {
        double hidden = c.HiddenSize, attention = (double)c.HeadDim * c.NumHeads;
        var perLayer = 2 * hidden * attention + 2 * hidden * c.IntermediateSize;
        var embeddings = (double)c.VocabularySize * hidden * (c.TieWordEmbeddings ? 1 : 2);
        var positions = c.UsesLearnedPositions ? (double)c.MaxPositionEmbeddings * hidden : 0;
        return embeddings + positions + c.NumLayers * perLayer;
    }

    /// <summary>
    /// Writes config.json (torch_dtype float32, architectures) and the weights in float32 under transformers' names.
    /// Above <paramref name="maxShardBytes"/> the weights are split into <c>model-0000i-of-0000n.safetensors</c> with an
    /// index. LoRA adapters are not saved: merge them first to keep their effect.
    /// </summary>
    public static void Save(CausalLanguageModel model, string directory, long maxShardBytes = 5L << 30) =>
        AtomicDirectory.Write(directory, staging => WriteFiles(model, staging, maxShardBytes), IsCheckpointFile);

    /// <summary>
    /// Whether a file name belongs to the checkpoint proper (config and weights): an atomic save replaces those and
    /// carries every other file of the directory (tokenizer, notes) over.
    /// </summary>
    public static bool IsCheckpointFile(string name) =>
        name is HfConfigFile.FileName or WeightsFile or IndexFile || ShardName.IsMatch(name);

    private static readonly System.Text.RegularExpressions.Regex ShardName = new(@"^model-\d+-of-\d+\.safetensors$");

    /// <summary>Writes config and weights into <paramref name="directory"/>, which holds no old weights (a fresh staging directory).</summary>
    internal static void WriteFiles(CausalLanguageModel model, string directory, long maxShardBytes = 5L << 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShardBytes, 1L);
        var state = ExportStateDict(model);
        try
        {
            model.Config.Save(Path.Combine(directory, HfConfigFile.FileName));
            var shards = Shard(state, maxShardBytes);
            if (shards.Count == 1)
            {
                SafetensorsFile.Write(Path.Combine(directory, WeightsFile), shards[0]);
                return;
            }
            var weightMap = new JsonObject();
            long total = 0;
            for (var i = 0; i < shards.Count; i++)
            {
                var file = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
                SafetensorsFile.Write(Path.Combine(directory, file), shards[i]);
                foreach (var (name, t) in shards[i])
                {
                    weightMap[name] = file;
                    total += t.numel() * sizeof(float);
                }
            }
            var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = total }, ["weight_map"] = weightMap };
            AtomicFile.WriteAllBytes(Path.Combine(directory, IndexFile), System.Text.Encoding.UTF8.GetBytes(index.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    /// <summary>
    /// The model's weights under Hugging Face names and layouts, as new CPU float32 tensors the caller disposes.
    /// Ordered as transformers' state_dict lists them.
    /// </summary>
    public static Dictionary<string, Tensor> ExportStateDict(CausalLanguageModel model)
    {
        var parameters = CanonicalParameters(model);
        var result = new Dictionary<string, Tensor>();
        using var noGrad = no_grad();
        foreach (var spec in HfTensorMap.For(model.Config))
        {
            using var scope = NewDisposeScope();
            var parts = spec.Canonical.Select(name => Lookup(parameters, name, spec.Name)).Select(p => spec.Transposed ? p.t() : p).ToArray();
            var joined = parts.Length == 1 ? parts[0] : cat(parts, spec.ConcatDim);
            result[spec.Name] = joined.to(CPU).to_type(ScalarType.Float32).contiguous().clone().MoveToOuterDisposeScope();
        }
        return result;
    }

    /// <summary>
    /// Copies Hugging Face-named tensors into the model after checking the full key set and every shape.
    /// Throws <see cref="InvalidDataException"/> naming missing, unexpected or misshaped tensors (nothing is copied then).
    /// </summary>
    public static void ImportStateDict(CausalLanguageModel model, IReadOnlyDictionary<string, Tensor> tensors)
    {
        tensors = HfTensorMap.WithBaseModelPrefix(model.Config, tensors);
        var specs = HfTensorMap.For(model.Config);
        var parameters = CanonicalParameters(model);
        var expected = specs.ToDictionary(s => s.Name, s => ExpectedShape(s, parameters));

        var missing = expected.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"Checkpoint is missing {missing.Count} tensor(s) for {model.Config.ModelType}: {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : "")}.");
        var unexpected = tensors.Keys.Where(k => !expected.ContainsKey(k) && !HfTensorMap.IsIgnorable(model.Config, k)).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException($"Checkpoint has {unexpected.Count} unexpected tensor(s) for {model.Config.ModelType}: {string.Join(", ", unexpected.Take(10))}{(unexpected.Count > 10 ? ", ..." : "")}.");
        foreach (var (name, shape) in expected)
        {
            if (!tensors[name].shape.SequenceEqual(shape))
                throw new InvalidDataException($"Checkpoint tensor '{name}' has shape [{string.Join(", ", tensors[name].shape)}], expected [{string.Join(", ", shape)}].");
        }
        foreach (var (name, t) in tensors)
        {
            if (expected.ContainsKey(name) && !t.is_floating_point())
                throw new InvalidDataException($"Checkpoint tensor '{name}' has dtype {t.dtype}, expected a floating-point type.");
        }

        using var noGrad = no_grad();
        foreach (var spec in specs)
        {
            using var scope = NewDisposeScope();
            var source = tensors[spec.Name];
            var targets = spec.Canonical.Select(n => parameters[n]).ToArray();
            var sizes = targets.Select(p => p.shape[spec.Transposed ? 0 : 0]).ToArray();
            var pieces = targets.Length == 1 ? [source] : source.split(sizes, spec.ConcatDim);
            for (var i = 0; i < targets.Length; i++)
            {
                var piece = spec.Transposed ? pieces[i].t() : pieces[i];
                targets[i].copy_(piece.to_type(targets[i].dtype).to(targets[i].device));
            }
        }
    }

    /// <summary>Reads all weight tensors of a checkpoint directory (single file or sharded with an index).</summary>
    internal static Dictionary<string, Tensor> ReadWeights(string directory) => ReadWeights(directory, WeightFiles(directory));

    /// <summary>
    /// Tensor name → the file that holds it, from the index of a sharded checkpoint (the single file maps from ""). Shard
    /// names must be plain file names inside <paramref name="directory"/>: an index naming <c>../x</c>, an absolute path
    /// or a device is refused, so nothing outside the checkpoint is read.
    /// </summary>
    private static Dictionary<string, string> WeightFiles(string directory)
    {
        var indexPath = Path.Combine(directory, IndexFile);
        var singlePath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(indexPath))
        {
            if (!File.Exists(singlePath))
                throw new FileNotFoundException($"Checkpoint directory '{directory}' has neither {WeightsFile} nor {IndexFile}.");
            return new Dictionary<string, string> { [""] = singlePath };
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(File.ReadAllText(indexPath));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{indexPath}' is not valid JSON: {e.Message}", e);
        }
        if ((parsed as JsonObject)?["weight_map"] is not JsonObject weightMap)
            throw new InvalidDataException($"'{indexPath}' has no weight_map object.");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (tensor, value) in weightMap)
        {
            var file = value is JsonValue v && v.TryGetValue<string>(out var s) ? s
                : throw new InvalidDataException($"'{indexPath}': weight_map entry '{tensor}' is not a file name.");
            if (file.Length == 0 || file is "." or ".." || file.IndexOfAny(['/', '\\', '\0']) >= 0 || Path.IsPathRooted(file))
                throw new InvalidDataException($"'{indexPath}': weight_map entry '{tensor}' names '{file}', which is not a file inside the checkpoint directory.");
            result[tensor] = Path.Combine(directory, file);
        }
        return result;
    }

    private static Dictionary<string, Tensor> ReadWeights(string directory, Dictionary<string, string> files)
    {
        if (files.TryGetValue("", out var single)) return SafetensorsFile.Read(single);
        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (var group in files.GroupBy(kv => kv.Value))
            {
                var shardPath = group.Key;
                var shard = Path.GetFileName(shardPath);
                if (!File.Exists(shardPath))
                    throw new FileNotFoundException($"Shard '{shard}' listed in {IndexFile} (for tensor '{group.First().Key}') does not exist.", shardPath);
                var listed = group.Select(kv => kv.Key).ToHashSet();
                foreach (var (name, t) in SafetensorsFile.Read(shardPath))
                {
                    // A tensor stored in a shard the index does not point to for it would be silently dropped by transformers; we refuse it.
                    if (!listed.Contains(name))
                    {
                        t.Dispose();
                        throw new InvalidDataException($"Tensor '{name}' is in shard '{shard}' but {IndexFile} does not list it there.");
                    }
                    result[name] = t;
                }
                foreach (var name in listed.Where(n => !result.ContainsKey(n)))
                    throw new InvalidDataException($"{IndexFile} lists tensor '{name}' in shard '{shard}', which does not contain it.");
            }
            return result;
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>Canonical parameter names → parameters, seeing through LoRA wrappers (their base_layer) and skipping adapter weights.</summary>
    internal static Dictionary<string, Parameter> CanonicalParameters(CausalLanguageModel model)
    {
        var result = new Dictionary<string, Parameter>();
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.Contains(".lora_", StringComparison.Ordinal)) continue;
            result[name.Replace(".base_layer.", ".", StringComparison.Ordinal)] = p;
        }
        return result;
    }

    private static Parameter Lookup(Dictionary<string, Parameter> parameters, string canonical, string hfName) =>
        parameters.TryGetValue(canonical, out var p) ? p
            : throw new InvalidOperationException($"Model has no parameter '{canonical}' (needed for '{hfName}').");

    private static long[] ExpectedShape(HfTensorSpec spec, Dictionary<string, Parameter> parameters)
    {
        var shapes = spec.Canonical.Select(n => Lookup(parameters, n, spec.Name).shape).Select(s => spec.Transposed ? s.Reverse().ToArray() : s).ToArray();
        var shape = (long[])shapes[0].Clone();
        for (var i = 1; i < shapes.Length; i++) shape[spec.ConcatDim] += shapes[i][spec.ConcatDim];
        return shape;
    }

    private static List<List<KeyValuePair<string, Tensor>>> Shard(Dictionary<string, Tensor> state, long maxShardBytes)
    {
        var shards = new List<List<KeyValuePair<string, Tensor>>> { new() };
        long current = 0;
        foreach (var kv in state)
        {
            var bytes = kv.Value.numel() * sizeof(float);
            if (current > 0 && current + bytes > maxShardBytes)
            {
                shards.Add(new());
                current = 0;
            }
            shards[^1].Add(kv);
            current += bytes;
        }
        return shards;
    }
}
