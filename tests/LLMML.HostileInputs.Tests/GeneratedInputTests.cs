using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using LLMML.Foundation.Persistence;
using LLMML.HostileInputs.Tests.Support;
using LLMML.LanguageModels.Checkpoints;
using LLMML.LanguageModels.Generation;
using Xunit.Abstractions;

namespace LLMML.HostileInputs.Tests;

/// <summary>
/// Property tests: generated corruptions of safetensors files, configs, archives, JSONL and CLI arguments. Each input
/// must be accepted or refused with one clear line naming the file or entry; inputs stay byte-identical, nothing is
/// written outside the output path, and memory stays bounded.
/// </summary>
[Collection("cli")]
public sealed class GeneratedInputTests(ITestOutputHelper output) : IDisposable
{
    private const long MemoryBound = 512L << 20;
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    // A byte-level corruption: (kind, position fraction, value).
    private static readonly Gen<(int Kind, double At, int Value)> ByteEdit =
        Gen.Select(Gen.Int[0, 4], Gen.Double[0, 1], Gen.Int[0, 255]);

    private static byte[] Corrupt(byte[] original, (int Kind, double At, int Value)[] edits)
    {
        var bytes = original.ToList();
        foreach (var (kind, at, value) in edits)
        {
            var i = Math.Min(bytes.Count - 1, (int)(at * bytes.Count));
            if (bytes.Count == 0) break;
            switch (kind)
            {
                case 0: bytes[i] ^= (byte)(1 << (value % 8)); break;                  // flip a bit
                case 1: bytes.RemoveRange(i, bytes.Count - i); break;                 // truncate
                case 2: bytes.Insert(i, (byte)value); break;                          // insert a byte
                case 3: bytes[i] = (byte)value; break;                                // overwrite a byte
                default:                                                              // random header length
                    if (bytes.Count >= 8)
                    {
                        var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Take(8).ToArray());
                        var changed = value % 3 == 0 ? ulong.MaxValue - (ulong)value : length + (ulong)(value - 128);
                        var b = new byte[8];
                        BinaryPrimitives.WriteUInt64LittleEndian(b, changed);
                        for (var k = 0; k < 8; k++) bytes[k] = b[k];
                    }
                    break;
            }
        }
        return bytes.ToArray();
    }

    private static readonly Gen<JsonNode?> HostileValue = Gen.OneOf<JsonNode?>(
        Gen.OneOf<long>(0, -1, 1, 2, 3, 7, int.MaxValue, int.MinValue, 1L << 31, 1L << 32, (1L << 32) + 4, 1L << 40, long.MaxValue, long.MinValue)
            .Select(v => (JsonNode?)JsonValue.Create(v)),
        Gen.OneOf(1e9, 1e12, 1e300, -1e300, 0.5, 2.5, 1e-320, double.Epsilon).Select(v => (JsonNode?)JsonValue.Create(v)),
        Gen.OneOf("", "gpt2", "llama", "phi", "relu", "NaN", "Infinity", "1e12", "../../etc/passwd", new string('x', 10_000))
            .Select(v => (JsonNode?)JsonValue.Create(v)),
        Gen.OneOf<JsonNode?>(null, JsonValue.Create(true), JsonValue.Create(false), new JsonArray(), new JsonArray(1, 2), new JsonObject()));

    private static readonly string[] ConfigFields =
        ["model_type", "vocab_size", "n_embd", "n_layer", "n_head", "n_positions", "n_inner", "layer_norm_epsilon", "activation_function",
         "tie_word_embeddings", "bos_token_id", "eos_token_id", "pad_token_id", "num_key_value_heads", "rope_theta", "partial_rotary_factor"];

    private static readonly string[] TensorNames = ["transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.attn.c_attn.weight", "transformer.ln_f.bias"];

    private void LoadJudged(Outcomes outcomes, string dir, string fileName)
    {
        var before = _sandbox.Fingerprint();
        var memoryBefore = Process.GetCurrentProcess().WorkingSet64;
        outcomes.Judge(() =>
        {
            using var lm = LanguageModel.Load(dir);
            lm.Generate(["1+1="], new GenerationOptions { MaxNewTokens = 2 });
        }, fileName, "Checkpoint", "checkpoint");
        _sandbox.ShouldBeUnchangedExcept(before);
        (Process.GetCurrentProcess().WorkingSet64 - memoryBefore).Should().BeLessThan(MemoryBound);
    }

    [Fact]
    public void Corrupted_safetensors_bytes()
    {
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"));
        var file = Path.Combine(dir, ModelCheckpoint.WeightsFile);
        var original = File.ReadAllBytes(file);
        var outcomes = new Outcomes(output, "safetensors, byte corruptions");
        ByteEdit.Array[1, 4].Sample(edits =>
        {
            File.WriteAllBytes(file, Corrupt(original, edits));
            LoadJudged(outcomes, dir, ModelCheckpoint.WeightsFile);
        }, iter: Soak.Iterations(150), threads: 1);
        outcomes.Report();
    }

    [Fact]
    public void Corrupted_safetensors_headers()
    {
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"));
        var file = Path.Combine(dir, ModelCheckpoint.WeightsFile);
        var original = File.ReadAllBytes(file);
        var field = Gen.OneOf("dtype", "shape", "data_offsets", "shape[0]", "data_offsets[1]", "remove", "rename");
        var edit = Gen.Select(Gen.OneOf(TensorNames), field, HostileValue);
        var outcomes = new Outcomes(output, "safetensors, header edits");
        edit.Array[1, 3].Sample(edits =>
        {
            File.WriteAllBytes(file, original);
            CheckpointTests.EditHeader(file, header =>
            {
                foreach (var (tensor, what, value) in edits)
                {
                    if (header[tensor] is not JsonObject entry) continue;
                    switch (what)
                    {
                        case "remove": header.Remove(tensor); break;
                        case "rename": header.Remove(tensor); header[tensor + "x"] = entry; break;
                        case "shape[0]" when entry["shape"] is JsonArray { Count: > 0 } s: s[0] = value?.DeepClone(); break;
                        case "data_offsets[1]" when entry["data_offsets"] is JsonArray { Count: 2 } o: o[1] = value?.DeepClone(); break;
                        case "dtype" when value is JsonValue v && v.TryGetValue<string>(out var text):
                            string[] dtypes = ["F16", "BF16", "I8", "U64", "F8_E4M3", "X99"];
                            entry["dtype"] = dtypes[text.Length % dtypes.Length];
                            break;
                        default: entry[what.Split('[')[0]] = value?.DeepClone(); break;
                    }
                }
            });
            LoadJudged(outcomes, dir, ModelCheckpoint.WeightsFile);
        }, iter: Soak.Iterations(150), threads: 1);
        outcomes.Report();
    }

    [Fact]
    public void Hostile_config_values()
    {
        var dir = TinyCheckpoint.Write(_sandbox.At("ckpt"));
        var configPath = Path.Combine(dir, "config.json");
        var original = File.ReadAllText(configPath);
        var outcomes = new Outcomes(output, "config.json, hostile values");
        Gen.Select(Gen.OneOf(ConfigFields), HostileValue).Array[1, 3].Sample(edits =>
        {
            var config = JsonNode.Parse(original)!.AsObject();
            foreach (var (field, value) in edits) config[field] = value?.DeepClone();
            File.WriteAllText(configPath, config.ToJsonString());
            LoadJudged(outcomes, dir, "config.json");
        }, iter: Soak.Iterations(200), threads: 1);
        outcomes.Report();
    }

    [Fact]
    public void Corrupted_model_archives()
    {
        var archive = new ModelArchive("test.component", 1, """{"a":1}""",
            new Dictionary<string, TensorData> { ["w"] = TensorData.FromFloat32([1f, 2f, 3f, 4f], [2, 2]) },
            new Dictionary<string, byte[]> { ["tokenizer.json"] = Encoding.UTF8.GetBytes("{\"x\":1}") }).ToBytes();
        var outcomes = new Outcomes(output, "model archives, byte corruptions");
        var memoryBefore = GC.GetTotalAllocatedBytes(precise: true);
        ByteEdit.Array[1, 4].Sample(edits =>
        {
            var bytes = Corrupt(archive, edits);
            outcomes.Judge(() => ModelArchive.FromBytes(bytes, "fuzz.llmml"), "fuzz.llmml");
        }, iter: Soak.Iterations(300), threads: 1);
        outcomes.Report();
        (GC.GetTotalAllocatedBytes(precise: true) - memoryBefore).Should().BeLessThan(Soak.Iterations(300) * (1L << 20));
    }

    [Fact]
    public void Hostile_archive_manifests()
    {
        var outcomes = new Outcomes(output, "model archives, manifest edits");
        var field = Gen.OneOf("format", "formatVersion", "componentType", "componentVersion", "options", "entries", "entries[0].name",
            "entries[0].length", "entries[0].kind", "entries[1].name", "entries[1].sha256");
        Gen.Select(field, HostileValue, Gen.OneOf("../evil", "/abs", "blobs/../../x", "blobs/", "manifest.json", "tensors.safetensors"))
            .Array[1, 3].Sample(edits =>
            {
                var archive = new ModelArchive("test.component", 1, "{}",
                    new Dictionary<string, TensorData> { ["w"] = TensorData.FromFloat32([1f]) },
                    new Dictionary<string, byte[]> { ["b.bin"] = [1, 2, 3] }).ToBytes();
                var bytes = RewriteManifest(archive, manifest =>
                {
                    foreach (var (path, value, name) in edits)
                    {
                        if (path.StartsWith("entries[", StringComparison.Ordinal))
                        {
                            var index = path[8] - '0';
                            var key = path[11..];
                            if (manifest["entries"] is JsonArray a && index < a.Count && a[index] is JsonObject e)
                                e[key] = key == "name" ? JsonValue.Create(name) : value?.DeepClone();
                        }
                        else manifest[path] = value?.DeepClone();
                    }
                });
                outcomes.Judge(() => ModelArchive.FromBytes(bytes, "fuzz.llmml"), "fuzz.llmml");
            }, iter: Soak.Iterations(200), threads: 1);
        outcomes.Report();
    }

    private static byte[] RewriteManifest(byte[] archive, Action<JsonObject> edit)
    {
        using var input = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        using var result = new MemoryStream();
        using (var zip = new ZipArchive(result, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var source = entry.Open();
                using var buffer = new MemoryStream();
                source.CopyTo(buffer);
                var bytes = buffer.ToArray();
                if (entry.FullName == ModelArchive.ManifestEntry)
                {
                    var manifest = JsonNode.Parse(bytes)!.AsObject();
                    edit(manifest);
                    bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
                }
                using var target = zip.CreateEntry(entry.FullName).Open();
                target.Write(bytes);
            }
        }
        return result.ToArray();
    }

    private static readonly Gen<string> JsonlLine = Gen.OneOf(
        Gen.OneOf("", "{", "}", "[]", "null", "{\"paperId\":1}", "{\"paperId\":\"p1\",\"year\":\"x\"}", "{\"data\":[{\"paperId\":\"a\"}]}",
            "{\"paperId\":\"p\",\"citations\":[{\"paperId\":null}]}", "\uFEFF{}", "{\"paperId\":\"p\",\"year\":1e400}", "\0\0\0",
            "{\"paperId\":\"p\",\"references\":" + new string('[', 500) + new string(']', 500) + "}"),
        Gen.String[0, 80],
        Gen.Select(Gen.OneOf("p1", "p2", "p3"), Gen.Int[-5, 3000], Gen.OneOf("p1", "p2", "zz"))
            .Select(t => $"{{\"paperId\":\"{t.Item1}\",\"year\":{t.Item2},\"references\":[{{\"paperId\":\"{t.Item3}\"}}]}}"));

    [Fact]
    public void Hostile_jsonl_through_the_cli()
    {
        var input = _sandbox.At("papers.jsonl");
        var outcomes = new Outcomes(output, "citation JSONL through `llmml citations features`");
        Gen.Select(JsonlLine.Array[0, 12], Gen.OneOf("s2", "s2orc", "openalex")).Sample((lines, format) =>
        {
            File.WriteAllText(input, string.Join('\n', lines));
            var before = _sandbox.Fingerprint();
            var outcome = Llmml.Run("citations", "features", "-i", input, "-f", format).GetAwaiter().GetResult();
            outcome.ExitCode.Should().BeOneOf([0, 2], outcome.Error);
            if (outcome.ExitCode == 2)
                outcome.ErrorLines.Should().ContainSingle().Which.Should().StartWith("llmml: ");
            outcomes.Count(outcome.ExitCode == 0 ? "accepted" : "refused, one line");
            _sandbox.ShouldBeUnchangedExcept(before);
        }, iter: Soak.Iterations(60), threads: 1);
        outcomes.Report();
    }

    [Fact]
    public void Hostile_cli_arguments()
    {
        var model = TinyCheckpoint.Write(_sandbox.At("model"));
        var outDir = _sandbox.At("out");
        var command = Gen.OneOf<string[]>(
            ["generate", "--model", model, "--prompt"], ["eval", "--model", model, "--task", "int-mult", "--no-generate", "--limit"],
            ["tasks"], ["info"], ["rasp", "compile", "--program"], ["rasp", "run", "--program"], ["generate", "--model"], ["eval", "--task"]);
        var value = Gen.OneOf("0", "-1", "1", "2", "Infinity", "NaN", "-0", "1e400", "99999999999", "", " ", "\n", "--", "-", "--help=x",
            "int-mult", "nope", model, outDir + "/x.json", "../../x", "/dev/null", "reverse", "sort", "1+1=", "Ω", new string('9', 400));
        var option = Gen.OneOf("--max-new-tokens", "--temperature", "--stop", "--seed", "--limit", "--batch-size", "--split", "--threads",
            "--json", "--vocab", "--max-len", "--input", "--unknown");
        var args = Gen.Select(command, value, Gen.Select(option, value).Array[0, 3]).Select(t =>
            t.Item1.Append(t.Item2).Concat(t.Item3.SelectMany(p => new[] { p.Item1, p.Item2 })).ToArray());
        var outcomes = new Outcomes(output, "CLI arguments");
        args.Sample(a =>
        {
            var before = _sandbox.Fingerprint();
            var outcome = Llmml.Run(a).GetAwaiter().GetResult();
            outcome.ExitCode.Should().BeOneOf([0, 2], $"llmml {string.Join(' ', a)}: {outcome.Error}");
            if (outcome.ExitCode == 2)
                outcome.ErrorLines.Should().ContainSingle($"llmml {string.Join(' ', a)}").Which.Should().StartWith("llmml: ");
            outcomes.Count(outcome.ExitCode == 0 ? "accepted" : "refused, one line");
            _sandbox.ShouldBeUnchangedExcept(before, "out");
        }, iter: Soak.Iterations(60), threads: 1);
        outcomes.Report();
    }
}
