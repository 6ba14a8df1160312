using System.Text;
using System.Text.Json.Nodes;

namespace LLMML.LanguageModels.Tests.Checkpoints;

/// <summary>
/// What transformers expects, written out by hand for the tiny test configs (independent of the library's key map):
/// the config.json text and every tensor name with its shape.
/// </summary>
internal static class HfLayouts
{
    public static string ConfigJson(string family) => family switch
    {
        "gpt2" => """{"model_type":"gpt2","architectures":["GPT2LMHeadModel"],"vocab_size":23,"n_embd":16,"n_layer":2,"n_head":4,"n_positions":32,"layer_norm_epsilon":1e-5,"activation_function":"gelu_new","bos_token_id":22,"eos_token_id":22}""",
        "qwen2" => """{"model_type":"qwen2","vocab_size":29,"hidden_size":16,"intermediate_size":24,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"rms_norm_eps":1e-6,"rope_theta":10000.0,"tie_word_embeddings":false,"max_position_embeddings":64,"hidden_act":"silu","eos_token_id":2,"rope_scaling":null}""",
        "llama" => """{"model_type":"llama","vocab_size":19,"hidden_size":12,"intermediate_size":20,"num_hidden_layers":2,"num_attention_heads":3,"num_key_value_heads":3,"rms_norm_eps":1e-5,"rope_theta":500.0,"tie_word_embeddings":true,"attention_bias":true,"mlp_bias":true,"max_position_embeddings":64,"hidden_act":"silu","eos_token_id":1}""",
        "phi" => """{"model_type":"phi","vocab_size":31,"hidden_size":16,"intermediate_size":32,"num_hidden_layers":2,"num_attention_heads":2,"partial_rotary_factor":0.5,"layer_norm_eps":1e-5,"rope_theta":10000.0,"max_position_embeddings":64,"hidden_act":"gelu_new","tie_word_embeddings":false,"qk_layernorm":false,"eos_token_id":3}""",
        _ => throw new ArgumentException(family),
    };

    public static Dictionary<string, long[]> Tensors(string family)
    {
        var t = new Dictionary<string, long[]>();
        switch (family)
        {
            case "gpt2":
                {
                    const long d = 16;
                    t["transformer.wte.weight"] = [23, d];
                    t["transformer.wpe.weight"] = [32, d];
                    for (var i = 0; i < 2; i++)
                    {
                        var p = $"transformer.h.{i}.";
                        t[p + "ln_1.weight"] = [d]; t[p + "ln_1.bias"] = [d];
                        t[p + "attn.c_attn.weight"] = [d, 3 * d]; t[p + "attn.c_attn.bias"] = [3 * d];
                        t[p + "attn.c_proj.weight"] = [d, d]; t[p + "attn.c_proj.bias"] = [d];
                        t[p + "ln_2.weight"] = [d]; t[p + "ln_2.bias"] = [d];
                        t[p + "mlp.c_fc.weight"] = [d, 4 * d]; t[p + "mlp.c_fc.bias"] = [4 * d];
                        t[p + "mlp.c_proj.weight"] = [4 * d, d]; t[p + "mlp.c_proj.bias"] = [d];
                    }
                    t["transformer.ln_f.weight"] = [d]; t["transformer.ln_f.bias"] = [d];
                    break;
                }
            case "qwen2":
                {
                    const long d = 16, kv = 2 * 4, inter = 24;
                    t["model.embed_tokens.weight"] = [29, d];
                    for (var i = 0; i < 2; i++)
                    {
                        var p = $"model.layers.{i}.";
                        t[p + "input_layernorm.weight"] = [d];
                        t[p + "self_attn.q_proj.weight"] = [d, d]; t[p + "self_attn.q_proj.bias"] = [d];
                        t[p + "self_attn.k_proj.weight"] = [kv, d]; t[p + "self_attn.k_proj.bias"] = [kv];
                        t[p + "self_attn.v_proj.weight"] = [kv, d]; t[p + "self_attn.v_proj.bias"] = [kv];
                        t[p + "self_attn.o_proj.weight"] = [d, d];
                        t[p + "post_attention_layernorm.weight"] = [d];
                        t[p + "mlp.gate_proj.weight"] = [inter, d];
                        t[p + "mlp.up_proj.weight"] = [inter, d];
                        t[p + "mlp.down_proj.weight"] = [d, inter];
                    }
                    t["model.norm.weight"] = [d];
                    t["lm_head.weight"] = [29, d];
                    break;
                }
            case "llama":
                {
                    const long d = 12, inter = 20;
                    t["model.embed_tokens.weight"] = [19, d];
                    for (var i = 0; i < 2; i++)
                    {
                        var p = $"model.layers.{i}.";
                        t[p + "input_layernorm.weight"] = [d];
                        foreach (var proj in new[] { "q_proj", "k_proj", "v_proj", "o_proj" })
                        {
                            t[p + $"self_attn.{proj}.weight"] = [d, d];
                            t[p + $"self_attn.{proj}.bias"] = [d];
                        }
                        t[p + "post_attention_layernorm.weight"] = [d];
                        t[p + "mlp.gate_proj.weight"] = [inter, d]; t[p + "mlp.gate_proj.bias"] = [inter];
                        t[p + "mlp.up_proj.weight"] = [inter, d]; t[p + "mlp.up_proj.bias"] = [inter];
                        t[p + "mlp.down_proj.weight"] = [d, inter]; t[p + "mlp.down_proj.bias"] = [d];
                    }
                    t["model.norm.weight"] = [d];
                    break;
                }
            case "phi":
                {
                    const long d = 16, inter = 32;
                    t["model.embed_tokens.weight"] = [31, d];
                    for (var i = 0; i < 2; i++)
                    {
                        var p = $"model.layers.{i}.";
                        t[p + "input_layernorm.weight"] = [d]; t[p + "input_layernorm.bias"] = [d];
                        foreach (var proj in new[] { "q_proj", "k_proj", "v_proj", "dense" })
                        {
                            t[p + $"self_attn.{proj}.weight"] = [d, d];
                            t[p + $"self_attn.{proj}.bias"] = [d];
                        }
                        t[p + "mlp.fc1.weight"] = [inter, d]; t[p + "mlp.fc1.bias"] = [inter];
                        t[p + "mlp.fc2.weight"] = [d, inter]; t[p + "mlp.fc2.bias"] = [d];
                    }
                    t["model.final_layernorm.weight"] = [d]; t["model.final_layernorm.bias"] = [d];
                    t["lm_head.weight"] = [31, d]; t["lm_head.bias"] = [31];
                    break;
                }
            default: throw new ArgumentException(family);
        }
        return t;
    }

    /// <summary>The (name → shape, dtype) header of a safetensors file, parsed directly from its bytes.</summary>
    public static Dictionary<string, (long[] Shape, string DType)> ReadHeader(string path, out JsonObject? metadata)
    {
        var bytes = File.ReadAllBytes(path);
        var length = (int)BitConverter.ToUInt64(bytes, 0);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        metadata = header["__metadata__"] as JsonObject;
        return header.Where(kv => kv.Key != "__metadata__").ToDictionary(
            kv => kv.Key,
            kv => (kv.Value!["shape"]!.AsArray().Select(x => x!.GetValue<long>()).ToArray(), kv.Value!["dtype"]!.GetValue<string>()));
    }
}
