using System.Text.Json.Nodes;
using LLMML.LanguageModels.Checkpoints;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tests.Modeling;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "llmml-ckpt-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Families => TinyModels.Families;

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string Dir(string name) => Path.Combine(_root, name);

    /// <summary>Writes a Hugging Face-layout fixture by hand: config text + random tensors under the expected names.</summary>
    private string WriteFixture(string family, Action<Dictionary<string, Tensor>>? edit = null, string? name = null)
    {
        var dir = Dir(name ?? family + "-fixture");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), HfLayouts.ConfigJson(family));
        using var generator = new Generator(77);
        var tensors = HfLayouts.Tensors(family).ToDictionary(kv => kv.Key,
            kv => kv.Key.Contains("norm") || kv.Key.Contains("ln_") ? randn(kv.Value, generator: generator) * 0.3 + 1 : randn(kv.Value, generator: generator) * 0.3);
        edit?.Invoke(tensors);
        SafetensorsFile.Write(Path.Combine(dir, "model.safetensors"), tensors.ToList());
        foreach (var t in tensors.Values) t.Dispose();
        return dir;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void HandWrittenHuggingFaceFixtureLoadsAndMatchesTheReference(string family)
    {
        var dir = WriteFixture(family, family == "gpt2"
            ? t => { t["transformer.h.0.attn.bias"] = ones(1, 1, 32, 32).tril(); t["transformer.h.1.attn.masked_bias"] = tensor(-1e4f); }
        : null);
        using var model = ModelCheckpoint.Load(dir);

        var stored = SafetensorsFile.Read(Path.Combine(dir, "model.safetensors"));
        var weights = NaiveTransformer.FromTensors(stored);
        foreach (var t in stored.Values) t.Dispose();
        var naive = TinyModels.Naive(model.Config, weights);
        var ids = TinyModels.Ids(9, model.Config.VocabularySize, seed: 8);
        var (expected, _) = naive.Run(ids.Select(i => (int)i).ToArray());

        TinyModels.MaxAbsDiff(TinyModels.Logits(model, ids), expected).Should().BeLessThan(2e-4);
    }

    [Fact]
    public void BaseModelCheckpointWithoutPrefixLoadsLikeTheOriginalGpt2Weights()
    {
        // openai-community/gpt2's model.safetensors names tensors "wte.weight", "h.0.attn.c_attn.weight", "h.0.attn.bias", ...
        var prefixed = WriteFixture("gpt2", name: "gpt2-prefixed");
        var dir = WriteFixture("gpt2", t =>
        {
            foreach (var key in t.Keys.ToList())
            {
                t[key["transformer.".Length..]] = t[key];
                t.Remove(key);
            }
            t["h.0.attn.bias"] = ones(1, 1, 32, 32).tril();
        }, "gpt2-bare");
        HfLayouts.ReadHeader(Path.Combine(dir, "model.safetensors"), out _).Keys.Should().Contain("wte.weight").And.NotContain("transformer.wte.weight");
        using var bare = ModelCheckpoint.Load(dir);
        using var full = ModelCheckpoint.Load(prefixed);
        var ids = TinyModels.Ids(5, 23, 1);
        TinyModels.MaxAbsDiff(TinyModels.Logits(bare, ids), TinyModels.Logits(full, ids)).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void SavedCheckpointHasExactlyTheHuggingFaceNamesShapesAndConfig(string family)
    {
        using var model = TinyModels.Create(family);
        var dir = Dir(family + "-saved");
        ModelCheckpoint.Save(model, dir);

        var header = HfLayouts.ReadHeader(Path.Combine(dir, "model.safetensors"), out var metadata);
        var expected = HfLayouts.Tensors(family);
        header.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (name, shape) in expected)
        {
            header[name].Shape.Should().Equal(shape, name);
            header[name].DType.Should().Be("F32");
        }
        metadata!["format"]!.GetValue<string>().Should().Be("pt");

        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
        var reference = JsonNode.Parse(HfLayouts.ConfigJson(family))!.AsObject();
        foreach (var (key, value) in reference)
        {
            if (value is null || key == "architectures") continue;
            JsonNode.DeepEquals(written[key], value).Should().BeTrue($"config.json field {key}: wrote {written[key]?.ToJsonString()}, HF has {value.ToJsonString()}");
        }
        written["torch_dtype"]!.GetValue<string>().Should().Be("float32");
        written["architectures"]![0]!.GetValue<string>().Should().Be(family switch
        {
            "gpt2" => "GPT2LMHeadModel",
            "qwen2" => "Qwen2ForCausalLM",
            "llama" => "LlamaForCausalLM",
            _ => "PhiForCausalLM",
        });
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void SaveThenLoadGivesIdenticalLogits(string family)
    {
        using var model = TinyModels.Create(family, seed: 4);
        var dir = Dir(family + "-roundtrip");
        ModelCheckpoint.Save(model, dir);
        using var loaded = ModelCheckpoint.Load(dir);
        loaded.Config.Should().Be(model.Config);
        using var ids = tensor(TinyModels.Ids(10, model.Config.VocabularySize, 3), [1, 10]);
        using var noGrad = no_grad();
        using var a = model.forward(ids);
        using var b = loaded.forward(ids);
        a.allclose(b, rtol: 0, atol: 0).Should().BeTrue();
    }

    [Fact]
    public void ShardedCheckpointWithIndexLoads()
    {
        using var model = TinyModels.Create("qwen2", seed: 6);
        var dir = Dir("sharded");
        ModelCheckpoint.Save(model, dir, maxShardBytes: 4000);

        File.Exists(Path.Combine(dir, "model.safetensors")).Should().BeFalse();
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "model.safetensors.index.json")))!.AsObject();
        var shards = index["weight_map"]!.AsObject().Select(kv => kv.Value!.GetValue<string>()).Distinct().ToList();
        shards.Count.Should().BeGreaterThan(2);
        shards.Should().OnlyContain(s => File.Exists(Path.Combine(dir, s)));
        index["weight_map"]!.AsObject().Select(kv => kv.Key).Should().BeEquivalentTo(HfLayouts.Tensors("qwen2").Keys);

        using var loaded = ModelCheckpoint.Load(dir);
        using var ids = tensor(TinyModels.Ids(6, 29, 1), [1, 6]);
        using var noGrad = no_grad();
        using var a = model.forward(ids);
        using var b = loaded.forward(ids);
        a.allclose(b, rtol: 0, atol: 0).Should().BeTrue();

        // Saving again unsharded removes the old shards and index.
        ModelCheckpoint.Save(model, dir);
        Directory.GetFiles(dir, "*.safetensors").Select(Path.GetFileName).Should().Equal("model.safetensors");
    }

    [Fact]
    public void ShardMissingFromIndexIsNamed()
    {
        using var model = TinyModels.Create("gpt2");
        var dir = Dir("broken-shards");
        ModelCheckpoint.Save(model, dir, maxShardBytes: 4000);
        var victim = Directory.GetFiles(dir, "model-00002-*.safetensors").Single();
        File.Delete(victim);
        var act = () => ModelCheckpoint.Load(dir);
        act.Should().Throw<FileNotFoundException>().WithMessage($"*{Path.GetFileName(victim)}*");
    }

    [Fact]
    public void MissingTensorFailsNamingIt()
    {
        var dir = WriteFixture("gpt2", t => { t["transformer.h.1.mlp.c_fc.bias"].Dispose(); t.Remove("transformer.h.1.mlp.c_fc.bias"); }, "missing");
        var act = () => ModelCheckpoint.Load(dir);
        act.Should().Throw<InvalidDataException>().WithMessage("*missing*transformer.h.1.mlp.c_fc.bias*");
    }

    [Fact]
    public void UnexpectedTensorFailsNamingIt()
    {
        var dir = WriteFixture("phi", t => t["model.layers.0.self_attn.q_layernorm.weight"] = ones(16), "extra");
        var act = () => ModelCheckpoint.Load(dir);
        act.Should().Throw<InvalidDataException>().WithMessage("*unexpected*model.layers.0.self_attn.q_layernorm.weight*");
    }

    [Fact]
    public void MisshapedTensorFailsNamingItAndBothShapes()
    {
        var dir = WriteFixture("qwen2", t => { t["model.layers.1.self_attn.k_proj.weight"].Dispose(); t["model.layers.1.self_attn.k_proj.weight"] = zeros(16, 16); }, "misshaped");
        var act = () => ModelCheckpoint.Load(dir);
        act.Should().Throw<InvalidDataException>().WithMessage("*model.layers.1.self_attn.k_proj.weight*[16, 16]*expected [8, 16]*");
    }

    [Fact]
    public void ConfigErrorsNameTheProblem()
    {
        var dir = Dir("bad-config");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), """{"model_type":"bert","hidden_size":8}""");
        FluentActions.Invoking(() => TransformerConfig.Load(dir)).Should().Throw<NotSupportedException>().WithMessage("*bert*");
        File.WriteAllText(Path.Combine(dir, "config.json"), """{"model_type":"llama","vocab_size":10,"hidden_size":8,"num_hidden_layers":1,"num_attention_heads":2}""");
        FluentActions.Invoking(() => TransformerConfig.Load(dir)).Should().Throw<InvalidDataException>().WithMessage("*intermediate_size*missing*");
        File.WriteAllText(Path.Combine(dir, "config.json"), """{"model_type":"llama","vocab_size":10,"hidden_size":8,"intermediate_size":8,"num_hidden_layers":1,"num_attention_heads":3}""");
        FluentActions.Invoking(() => TransformerConfig.Load(dir)).Should().Throw<InvalidDataException>().WithMessage("*not divisible*");
    }
}
