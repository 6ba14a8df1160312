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
        var tensors = ReadWeights(directory);
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
    /// Writes config.json (torch_dtype float32, architectures) and the weights in float32 under transformers' names.
    /// Above <paramref name="maxShardBytes"/> the weights are split into <c>model-0000i-of-0000n.safetensors</c> with an
    /// index. LoRA adapters are not saved: merge them first to keep their effect.
    /// </summary>
    public static void Save(CausalLanguageModel model, string directory, long maxShardBytes = 5L << 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShardBytes, 1L);
        Directory.CreateDirectory(directory);
        var state = ExportStateDict(model);
        try
        {
            RemoveOldWeights(directory);
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
    internal static Dictionary<string, Tensor> ReadWeights(string directory)
    {
        var indexPath = Path.Combine(directory, IndexFile);
        var singlePath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(indexPath))
        {
            if (!File.Exists(singlePath))
                throw new FileNotFoundException($"Checkpoint directory '{directory}' has neither {WeightsFile} nor {IndexFile}.");
            return SafetensorsFile.Read(singlePath);
        }

        var index = JsonNode.Parse(File.ReadAllText(indexPath)) as JsonObject;
        if (index?["weight_map"] is not JsonObject weightMap)
            throw new InvalidDataException($"'{indexPath}' has no weight_map object.");
        var byFile = weightMap.GroupBy(kv => kv.Value?.GetValue<string>()
            ?? throw new InvalidDataException($"'{indexPath}': weight_map entry '{kv.Key}' has no file name."));
        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (var group in byFile)
            {
                var shardPath = Path.Combine(directory, group.Key);
                if (!File.Exists(shardPath))
                    throw new FileNotFoundException($"Shard '{group.Key}' listed in {IndexFile} (for tensor '{group.First().Key}') does not exist.", shardPath);
                var listed = group.Select(kv => kv.Key).ToHashSet();
                foreach (var (name, t) in SafetensorsFile.Read(shardPath))
                {
                    // A tensor stored in a shard the index does not point to for it would be silently dropped by transformers; we refuse it.
                    if (!listed.Contains(name))
                    {
                        t.Dispose();
                        throw new InvalidDataException($"Tensor '{name}' is in shard '{group.Key}' but {IndexFile} does not list it there.");
                    }
                    result[name] = t;
                }
                foreach (var name in listed.Where(n => !result.ContainsKey(n)))
                    throw new InvalidDataException($"{IndexFile} lists tensor '{name}' in shard '{group.Key}', which does not contain it.");
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

    private static void RemoveOldWeights(string directory)
    {
        // A previous save with a different shard count would otherwise leave files the index no longer lists.
        foreach (var f in Directory.EnumerateFiles(directory, "model-*-of-*.safetensors")) File.Delete(f);
        foreach (var f in new[] { IndexFile, WeightsFile }) File.Delete(Path.Combine(directory, f));
    }
}
