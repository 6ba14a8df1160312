using LLMML.Foundation.Persistence;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLMML.LanguageModels.Modeling;

namespace LLMML.LanguageModels.Checkpoints;

/// <summary>
/// Hugging Face <c>config.json</c> ⇄ <see cref="TransformerConfig"/>. Each family has its own field names
/// (GPT-2's n_embd/n_layer/n_head versus hidden_size/num_hidden_layers/...); defaults follow transformers'
/// config classes so that configs omitting a field mean what they mean there.
/// </summary>
internal static class HfConfigFile
{
    public const string FileName = "config.json";

    public static TransformerConfig Read(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file)) throw new FileNotFoundException($"No Hugging Face config found at '{file}'.", file);
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(file)) as JsonObject
                ?? throw new InvalidDataException($"'{file}' does not contain a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{file}' is not valid JSON: {e.Message}", e);
        }
        return Parse(json, file);
    }

    public static TransformerConfig Parse(JsonObject json, string source = "config.json")
    {
        var reader = new Fields(json, source);
        var modelType = reader.String("model_type");
        ModelFamily family;
        try { family = TransformerConfig.FamilyOf(modelType); }
        catch (NotSupportedException e) { throw new NotSupportedException($"{source}: {e.Message}", e); }
        TransformerConfig config = family switch
        {
            ModelFamily.Gpt2 => ReadGpt2(reader),
            ModelFamily.Llama => ReadLlama(reader, modelType),
            ModelFamily.Phi => ReadPhi(reader),
            _ => throw new NotSupportedException(modelType),
        };
        config = config with
        {
            BosTokenId = reader.OptionalLong("bos_token_id"),
            EosTokenId = reader.OptionalLong("eos_token_id"),
            PadTokenId = reader.OptionalLong("pad_token_id"),
        };
        try { return config.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
    }

    private static TransformerConfig ReadGpt2(Fields f)
    {
        var hidden = f.Long("n_embd");
        return new TransformerConfig
        {
            ModelType = "gpt2",
            VocabularySize = f.Long("vocab_size"),
            HiddenSize = hidden,
            NumLayers = f.Int("n_layer"),
            NumHeads = f.Int("n_head"),
            MaxPositionEmbeddings = f.Long("n_positions"),
            IntermediateSize = f.OptionalLong("n_inner") ?? 4 * hidden,
            NormEpsilon = f.OptionalDouble("layer_norm_epsilon") ?? 1e-5,
            Activation = f.OptionalString("activation_function") ?? "gelu_new",
            TieWordEmbeddings = f.OptionalBool("tie_word_embeddings") ?? true,
            QkvBias = true, OutputBias = true, MlpBias = true,
        };
    }

    private static TransformerConfig ReadLlama(Fields f, string modelType)
    {
        f.RejectNonNull("rope_scaling", "rope scaling is not implemented");
        var heads = f.Int("num_attention_heads");
        var qwen = modelType == "qwen2";
        var attentionBias = f.OptionalBool("attention_bias") ?? false;
        return new TransformerConfig
        {
            ModelType = modelType,
            VocabularySize = f.Long("vocab_size"),
            HiddenSize = f.Long("hidden_size"),
            NumLayers = f.Int("num_hidden_layers"),
            NumHeads = heads,
            NumKeyValueHeads = f.OptionalInt("num_key_value_heads") ?? heads,
            HeadDimension = f.OptionalLong("head_dim") ?? 0,
            IntermediateSize = f.Long("intermediate_size"),
            MaxPositionEmbeddings = f.OptionalLong("max_position_embeddings") ?? 2048,
            NormEpsilon = f.OptionalDouble("rms_norm_eps") ?? 1e-6,
            RopeTheta = f.OptionalDouble("rope_theta") ?? 10000.0,
            Activation = f.OptionalString("hidden_act") ?? "silu",
            TieWordEmbeddings = f.OptionalBool("tie_word_embeddings") ?? false,
            // Qwen2 always has q/k/v biases and never an o_proj bias; Llama's attention_bias covers all four.
            QkvBias = qwen || attentionBias,
            OutputBias = !qwen && attentionBias,
            MlpBias = f.OptionalBool("mlp_bias") ?? false,
        };
    }

    private static TransformerConfig ReadPhi(Fields f)
    {
        if (f.OptionalBool("qk_layernorm") == true)
            throw new NotSupportedException($"{f.Source}: phi with qk_layernorm=true is not supported.");
        f.RejectNonNull("rope_scaling", "rope scaling is not implemented");
        var heads = f.Int("num_attention_heads");
        return new TransformerConfig
        {
            ModelType = "phi",
            VocabularySize = f.Long("vocab_size"),
            HiddenSize = f.Long("hidden_size"),
            NumLayers = f.Int("num_hidden_layers"),
            NumHeads = heads,
            NumKeyValueHeads = f.OptionalInt("num_key_value_heads") ?? heads,
            IntermediateSize = f.Long("intermediate_size"),
            MaxPositionEmbeddings = f.OptionalLong("max_position_embeddings") ?? 2048,
            NormEpsilon = f.OptionalDouble("layer_norm_eps") ?? 1e-5,
            RopeTheta = f.OptionalDouble("rope_theta") ?? 10000.0,
            PartialRotaryFactor = f.OptionalDouble("partial_rotary_factor") ?? 0.5,
            Activation = f.OptionalString("hidden_act") ?? "gelu_new",
            TieWordEmbeddings = f.OptionalBool("tie_word_embeddings") ?? false,
            QkvBias = true, OutputBias = true, MlpBias = true, LmHeadBias = true,
        };
    }

    public static void Write(TransformerConfig config, string path)
    {
        config.Validate();
        var file = Directory.Exists(path) || !path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Path.Combine(path, FileName) : path;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        AtomicFile.WriteAllBytes(file, System.Text.Encoding.UTF8.GetBytes(ToJson(config).ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
    }

    public static JsonObject ToJson(TransformerConfig c)
    {
        var json = new JsonObject();
        switch (c.Family)
        {
            case ModelFamily.Gpt2:
                json["architectures"] = new JsonArray("GPT2LMHeadModel");
                json["model_type"] = "gpt2";
                json["vocab_size"] = c.VocabularySize;
                json["n_embd"] = c.HiddenSize;
                json["n_layer"] = c.NumLayers;
                json["n_head"] = c.NumHeads;
                json["n_positions"] = c.MaxPositionEmbeddings;
                json["n_ctx"] = c.MaxPositionEmbeddings;
                json["n_inner"] = c.IntermediateSize;
                json["layer_norm_epsilon"] = c.NormEpsilon;
                json["activation_function"] = c.Activation;
                break;
            case ModelFamily.Llama:
                json["architectures"] = new JsonArray(c.ModelType switch
                {
                    "qwen2" => "Qwen2ForCausalLM",
                    "mistral" => "MistralForCausalLM",
                    _ => "LlamaForCausalLM",
                });
                json["model_type"] = c.ModelType;
                WriteCommon(json, c);
                json["rms_norm_eps"] = c.NormEpsilon;
                if (c.ModelType == "llama")
                {
                    if (c.QkvBias != c.OutputBias)
                        throw new NotSupportedException("llama's attention_bias covers q/k/v/o together; q/k/v-only biases need model_type qwen2.");
                    json["attention_bias"] = c.QkvBias;
                    json["mlp_bias"] = c.MlpBias;
                }
                else if (c.MlpBias || c.OutputBias || c.QkvBias != (c.ModelType == "qwen2"))
                    throw new NotSupportedException($"model_type {c.ModelType} cannot express these bias settings in config.json.");
                if (c.HeadDimension != 0) json["head_dim"] = c.HeadDimension;
                break;
            case ModelFamily.Phi:
                json["architectures"] = new JsonArray("PhiForCausalLM");
                json["model_type"] = "phi";
                WriteCommon(json, c);
                json["layer_norm_eps"] = c.NormEpsilon;
                json["partial_rotary_factor"] = c.PartialRotaryFactor;
                json["qk_layernorm"] = false;
                break;
        }
        json["tie_word_embeddings"] = c.TieWordEmbeddings;
        if (c.BosTokenId is { } bos) json["bos_token_id"] = bos;
        if (c.EosTokenId is { } eos) json["eos_token_id"] = eos;
        if (c.PadTokenId is { } pad) json["pad_token_id"] = pad;
        json["torch_dtype"] = "float32";
        return json;
    }

    private static void WriteCommon(JsonObject json, TransformerConfig c)
    {
        json["vocab_size"] = c.VocabularySize;
        json["hidden_size"] = c.HiddenSize;
        json["intermediate_size"] = c.IntermediateSize;
        json["num_hidden_layers"] = c.NumLayers;
        json["num_attention_heads"] = c.NumHeads;
        json["num_key_value_heads"] = c.KeyValueHeads;
        json["hidden_act"] = c.Activation;
        json["max_position_embeddings"] = c.MaxPositionEmbeddings;
        json["rope_theta"] = c.RopeTheta;
    }

    /// <summary>Typed field access that names the file and field in every error.</summary>
    private sealed class Fields(JsonObject json, string source)
    {
        public string Source => source;

        private JsonNode? Node(string name) => json.TryGetPropertyValue(name, out var n) ? n : null;

        private InvalidDataException Bad(string name, string what) => new($"{source}: field '{name}' {what}.");

        public string String(string name) => OptionalString(name) ?? throw Bad(name, "is missing");

        public long Long(string name) => OptionalLong(name) ?? throw Bad(name, "is missing");

        public int Int(string name) => OptionalInt(name) ?? throw Bad(name, "is missing");

        // Layer and head counts are ints in the model; a larger value must not wrap around (2^32 + 4 layers becoming 4).
        public int? OptionalInt(string name)
        {
            if (OptionalLong(name) is not { } l) return null;
            return l is >= int.MinValue and <= int.MaxValue ? (int)l : throw Bad(name, $"is {l}, outside the range of a 32-bit integer");
        }

        public string? OptionalString(string name)
        {
            var n = Node(name);
            if (n is null) return null;
            return n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad(name, "must be a string");
        }

        public long? OptionalLong(string name)
        {
            var n = Node(name);
            if (n is null) return null;
            // Some configs list several eos ids; the first is the one generation stops on by default.
            if (n is JsonArray { Count: > 0 } a) n = a[0];
            if (n is JsonValue v)
            {
                if (v.TryGetValue<long>(out var l)) return l;
                // Also 1e9-style integers; beyond long's range a cast would saturate silently.
                if (v.TryGetValue<double>(out var d) && d == Math.Floor(d))
                    return Math.Abs(d) < 9.2e18 ? (long)d : throw Bad(name, $"is {d}, far beyond any model size");
            }
            throw Bad(name, "must be an integer");
        }

        public double? OptionalDouble(string name)
        {
            var n = Node(name);
            if (n is null) return null;
            if (n is JsonValue v)
            {
                if (v.TryGetValue<double>(out var d)) return d;
                if (v.TryGetValue<long>(out var l)) return l;
            }
            throw Bad(name, "must be a number");
        }

        public bool? OptionalBool(string name)
        {
            var n = Node(name);
            if (n is null) return null;
            return n is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw Bad(name, "must be true or false");
        }

        public void RejectNonNull(string name, string why)
        {
            if (Node(name) is not null) throw new NotSupportedException($"{source}: field '{name}' is set but {why}.");
        }
    }
}
