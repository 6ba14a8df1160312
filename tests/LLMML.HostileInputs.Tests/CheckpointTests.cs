using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using LLMML.HostileInputs.Tests.Support;
using LLMML.LanguageModels.Checkpoints;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;

namespace LLMML.HostileInputs.Tests;

/// <summary>Checkpoint directories: atomic saves, confined shard paths, validated tensor regions, configs checked before allocation.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void A_save_that_fails_midway_leaves_the_previous_checkpoint_complete()
    {
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"));
        File.WriteAllText(Path.Combine(dir, "NOTES.md"), "mine");
        var before = _sandbox.Fingerprint();
        // llama cannot express q/k/v biases without an o bias in config.json, so this save fails after it has started.
        var config = new TransformerConfig
        {
            ModelType = "llama", VocabularySize = 23, HiddenSize = 8, NumLayers = 1, NumHeads = 2, IntermediateSize = 16,
            Activation = "silu", QkvBias = true, OutputBias = false,
        }.Validate();
        using var unsavable = new CausalLanguageModel(config);

        var act = () => ModelCheckpoint.Save(unsavable, dir);

        act.Should().Throw<NotSupportedException>();
        _sandbox.ShouldBeUnchangedExcept(before);
        using var back = LanguageModel.Load(dir);
        back.Config.ModelType.Should().Be("gpt2");
    }

    [Fact]
    public void A_save_over_an_existing_checkpoint_replaces_weights_and_keeps_other_files()
    {
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"), seed: 1);
        File.WriteAllText(Path.Combine(dir, "NOTES.md"), "mine");
        using var other = TinyCheckpoint.Create(seed: 2);
        var expected = ModelCheckpoint.ExportStateDict(other.Model)["transformer.wte.weight"].data<float>().ToArray();

        other.Save(dir);

        File.ReadAllText(Path.Combine(dir, "NOTES.md")).Should().Be("mine");
        Directory.EnumerateFileSystemEntries(_sandbox.Root).Should().ContainSingle("the staging and set-aside directories are gone");
        using var back = LanguageModel.Load(dir);
        ModelCheckpoint.ExportStateDict(back.Model)["transformer.wte.weight"].data<float>().ToArray().Should().Equal(expected);
    }

    [Theory]
    [InlineData("../outside.safetensors")]
    [InlineData("/dev/zero")]
    [InlineData("sub/../../outside.safetensors")]
    public void A_sharded_index_cannot_point_outside_the_checkpoint(string shard)
    {
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"));
        // A complete, valid weight file outside the directory: following the index there would load it.
        File.Move(Path.Combine(dir, ModelCheckpoint.WeightsFile), _sandbox.At("outside.safetensors"));
        var names = SafetensorsNames(_sandbox.At("outside.safetensors"));
        WriteIndex(dir, names.ToDictionary(n => n, _ => shard));
        var before = _sandbox.Fingerprint();

        var act = () => LanguageModel.Load(dir);

        act.Should().Throw<InvalidDataException>().WithMessage($"*{ModelCheckpoint.IndexFile}*'{shard}'*not a file inside the checkpoint directory*");
        _sandbox.ShouldBeUnchangedExcept(before);
    }

    [Theory]
    [InlineData("{\"weight_map\": {")]
    [InlineData("not json")]
    [InlineData("{\"weight_map\": {\"transformer.wte.weight\": 5}}")]
    public void A_malformed_index_is_one_clear_error(string text)
    {
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"));
        File.WriteAllText(Path.Combine(dir, ModelCheckpoint.IndexFile), text);

        var act = () => LanguageModel.Load(dir);

        act.Should().Throw<InvalidDataException>().WithMessage($"*{ModelCheckpoint.IndexFile}*");
    }

    [Fact]
    public void Overlapping_tensor_regions_are_refused_before_any_tensor_is_used()
    {
        // vocabulary = positions, so wte and wpe have equal shapes and wpe can be pointed at wte's bytes.
        var dir = _sandbox.At("ckpt");
        using (var lm = TinyCheckpoint.Create(positions: 23)) lm.Save(dir);
        var file = Path.Combine(dir, ModelCheckpoint.WeightsFile);
        EditHeader(file, header =>
        {
            var wte = header["transformer.wte.weight"]!["data_offsets"]!.AsArray();
            header["transformer.wpe.weight"]!["data_offsets"] = new JsonArray(wte[0]!.GetValue<long>(), wte[1]!.GetValue<long>());
        });

        var act = () => LanguageModel.Load(dir);

        act.Should().Throw<InvalidDataException>().WithMessage($"*{ModelCheckpoint.WeightsFile}*overlap*");
    }

    [Fact]
    public void A_region_past_the_end_of_the_file_is_refused()
    {
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"));
        var file = Path.Combine(dir, ModelCheckpoint.WeightsFile);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^16]);

        var act = () => LanguageModel.Load(dir);

        act.Should().Throw<InvalidDataException>().WithMessage($"*{ModelCheckpoint.WeightsFile}*data bytes*");
    }

    [Fact]
    public void A_tensor_name_that_is_not_utf8_is_refused_naming_the_file()
    {
        // Found by Corrupted_safetensors_bytes: System.Text.Json validates names only when they are read.
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"));
        var file = Path.Combine(dir, ModelCheckpoint.WeightsFile);
        var bytes = File.ReadAllBytes(file);
        var at = bytes.AsSpan().IndexOf("transformer.wte"u8);
        bytes[at] = 0xFF;
        File.WriteAllBytes(file, bytes);

        var act = () => LanguageModel.Load(dir);

        act.Should().Throw<InvalidDataException>().WithMessage($"*{ModelCheckpoint.WeightsFile}*");
    }

    [Fact]
    public void A_tokenizer_with_more_ids_than_the_vocabulary_is_refused_at_load()
    {
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"));
        new CharacterTokenizer(TinyCheckpoint.Alphabet + "XYZ").Save(Path.Combine(dir, CharacterTokenizer.FileName));

        var act = () => LanguageModel.Load(dir);

        act.Should().Throw<InvalidDataException>().WithMessage("*29 token ids*vocab_size is 26*");
    }

    [Theory]
    [InlineData("n_layer", 4294967300d, "n_layer*outside the range of a 32-bit integer")]
    [InlineData("n_head", -4294967294d, "n_head*outside the range")]
    [InlineData("vocab_size", 1e12, "vocabulary size*32-bit token id range")]
    [InlineData("n_positions", 1e11, "at least*parameters*weight files hold only")]
    [InlineData("n_embd", 1048576d, "*")]
    [InlineData("n_layer", 1e9, "at least*parameters*weight files hold only")]
    [InlineData("n_layer", 1e300, "far beyond any model size")]
    public void Absurd_config_integers_are_refused_before_allocating(string field, double value, string message)
    {
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"));
        var configPath = Path.Combine(dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config[field] = value == Math.Floor(value) && Math.Abs(value) < 9e18 ? JsonValue.Create((long)value) : JsonValue.Create(value);
        if (field == "n_embd") config["n_inner"] = 4L << 20;
        File.WriteAllText(configPath, config.ToJsonString());
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var act = () => LanguageModel.Load(dir);

        act.Should().Throw<InvalidDataException>().WithMessage($"*config.json*{message}*");
        (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore).Should().BeLessThan(64L << 20, "nothing is allocated for the model before the check");
    }

    [Fact]
    public void A_model_larger_than_the_memory_limit_is_refused_with_its_size()
    {
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"));
        ModelCheckpoint.MaxLoadBytes = 1000;
        try
        {
            var act = () => LanguageModel.Load(dir);
            act.Should().Throw<InsufficientMemoryException>().WithMessage("*needs about*MiB*more than*");
        }
        finally
        {
            ModelCheckpoint.MaxLoadBytes = null;
        }
    }

    private static IReadOnlyList<string> SafetensorsNames(string file) =>
        LLMML.Foundation.Persistence.SafetensorsFormat.ReadHeader(file).Entries.Select(e => e.Name).ToList();

    private static void WriteIndex(string dir, Dictionary<string, string> map)
    {
        var weightMap = new JsonObject();
        foreach (var (k, v) in map) weightMap[k] = v;
        File.WriteAllText(Path.Combine(dir, ModelCheckpoint.IndexFile), new JsonObject { ["weight_map"] = weightMap }.ToJsonString());
    }

    /// <summary>Rewrites a safetensors header in place (same data bytes), padding it to 8 bytes.</summary>
    internal static void EditHeader(string file, Action<JsonObject> edit)
    {
        var bytes = File.ReadAllBytes(file);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        edit(header);
        var text = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (text.Length + 7) / 8 * 8;
        var output = new byte[8 + padded + bytes.Length - 8 - length];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)padded);
        text.CopyTo(output, 8);
        for (var i = 8 + text.Length; i < 8 + padded; i++) output[i] = (byte)' ';
        bytes.AsSpan(8 + length).CopyTo(output.AsSpan(8 + padded));
        File.WriteAllBytes(file, output);
    }
}
