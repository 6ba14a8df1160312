using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using LLMML.Foundation.Persistence;

namespace LLMML.MLNet.Tests.Persistence;

public sealed class ModelArchiveTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llmml-archive-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Opts(string Name, int Rank, double[] Weights);

    private static ModelArchive Sample() => ModelArchive.Create(
        "Test.Component",
        2,
        new Opts("probe", 3, [0.5, 1.5]),
        new Dictionary<string, TensorData>
        {
            ["layer.weight"] = TensorData.FromFloat32([1, 2, 3, 4, 5, 6], [2, 3]),
            ["layer.index"] = TensorData.FromInt64([9, 8]),
        },
        new Dictionary<string, byte[]> { ["vocab/tokens.txt"] = Encoding.UTF8.GetBytes("a\nb\n") });

    [Fact]
    public void Round_trips_through_a_file()
    {
        var path = Path.Combine(_dir, "m.llmml");
        Sample().Save(path);

        var back = ModelArchive.Load(path);

        back.ComponentType.Should().Be("Test.Component");
        back.ComponentVersion.Should().Be(2);
        back.GetOptions<Opts>().Should().BeEquivalentTo(new Opts("probe", 3, [0.5, 1.5]));
        back.GetTensor("layer.weight", TensorDType.Float32, 2, -1).ToFloat32Array().Should().Equal(1, 2, 3, 4, 5, 6);
        back.GetTensor("layer.index").ToInt64Array().Should().Equal(9, 8);
        Encoding.UTF8.GetString(back.GetBlob("vocab/tokens.txt")).Should().Be("a\nb\n");
        back.SourceName.Should().Be(path);
    }

    [Fact]
    public void Manifest_lists_every_entry_with_its_sha256()
    {
        var bytes = Sample().ToBytes();
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var manifest = JsonNode.Parse(zip.GetEntry("manifest.json")!.Open())!.AsObject();

        manifest["format"]!.GetValue<string>().Should().Be("llmml-model-archive");
        manifest["formatVersion"]!.GetValue<int>().Should().Be(1);
        manifest["options"]!["rank"]!.GetValue<int>().Should().Be(3);
        foreach (var e in manifest["entries"]!.AsArray())
        {
            using var s = zip.GetEntry(e!["name"]!.GetValue<string>())!.Open();
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(ms.ToArray()));
            sha.Should().BeEquivalentTo(e["sha256"]!.GetValue<string>());
        }
        zip.Entries.Select(e => e.FullName).Should().BeEquivalentTo("manifest.json", "tensors.safetensors", "blobs/vocab/tokens.txt");
    }

    [Fact]
    public void Same_content_gives_same_bytes() => Sample().ToBytes().Should().Equal(Sample().ToBytes());

    // Rewrites one zip entry of a valid archive, leaving the others untouched.
    private static byte[] Rewrite(byte[] archive, Func<string, byte[], byte[]?> edit, (string Name, byte[] Bytes)? add = null)
    {
        using var input = new ZipArchive(new MemoryStream(archive));
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var e in input.Entries)
            {
                using var s = e.Open();
                using var ms = new MemoryStream();
                s.CopyTo(ms);
                var replaced = edit(e.FullName, ms.ToArray());
                if (replaced is null) continue;
                using var o = zip.CreateEntry(e.FullName).Open();
                o.Write(replaced);
            }
            if (add is { } a)
            {
                using var o = zip.CreateEntry(a.Name).Open();
                o.Write(a.Bytes);
            }
        }
        return output.ToArray();
    }

    private static byte[] EditManifest(byte[] archive, Action<JsonObject> edit) => Rewrite(archive, (name, bytes) =>
    {
        if (name != "manifest.json") return bytes;
        var m = JsonNode.Parse(bytes)!.AsObject();
        edit(m);
        return Encoding.UTF8.GetBytes(m.ToJsonString());
    });

    public static TheoryData<string, string> Corruptions => new()
    {
        { "flip-tensor-byte", "*m.llmml*tensors.safetensors*checksum*" },
        { "newer-format", "*m.llmml*format version 2*newer*" },
        { "wrong-format", "*m.llmml*format 'something-else'*" },
        { "missing-manifest", "*m.llmml*manifest.json*missing*" },
        { "extra-entry", "*m.llmml*stray.bin*not in the manifest*" },
        { "missing-blob", "*m.llmml*blobs/vocab/tokens.txt*missing from the zip*" },
        { "truncated", "*m.llmml*" },
        { "not-a-zip", "*m.llmml*zip*" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Corrupt_files_fail_with_a_message_naming_file_and_entry(string corruption, string pattern)
    {
        var good = Sample().ToBytes();
        byte[] bad = corruption switch
        {
            "flip-tensor-byte" => Rewrite(good, (n, b) => { if (n == "tensors.safetensors") b[^1] ^= 0x40; return b; }),
            "newer-format" => EditManifest(good, m => m["formatVersion"] = 2),
            "wrong-format" => EditManifest(good, m => m["format"] = "something-else"),
            "missing-manifest" => Rewrite(good, (n, b) => n == "manifest.json" ? null : b),
            "extra-entry" => Rewrite(good, (_, b) => b, ("stray.bin", [1, 2, 3])),
            "missing-blob" => Rewrite(good, (n, b) => n.StartsWith("blobs/") ? null : b),
            "truncated" => good[..(good.Length / 2)],
            "not-a-zip" => Encoding.UTF8.GetBytes("hello, I am not a model"),
            _ => throw new ArgumentException(corruption),
        };
        var path = Path.Combine(_dir, "m.llmml");
        File.WriteAllBytes(path, bad);

        var act = () => ModelArchive.Load(path);

        act.Should().Throw<InvalidDataException>().WithMessage(pattern);
    }

    [Fact]
    public void Require_component_rejects_other_types_and_newer_versions()
    {
        var a = ModelArchive.FromBytes(Sample().ToBytes(), "a.zip");
        a.Invoking(x => x.RequireComponent("Other", 1, 5)).Should().Throw<InvalidDataException>().WithMessage("*a.zip*'Test.Component'*not a 'Other'*");
        a.Invoking(x => x.RequireComponent("Test.Component", 1, 1)).Should().Throw<InvalidDataException>().WithMessage("*version 2*newer*");
        a.RequireComponent("Test.Component", 1, 2).Should().BeSameAs(a);
    }

    [Fact]
    public void Missing_or_misshapen_tensors_are_named()
    {
        var a = ModelArchive.FromBytes(Sample().ToBytes(), "a.zip");
        a.Invoking(x => x.GetTensor("nope")).Should().Throw<InvalidDataException>().WithMessage("*a.zip*'nope'*missing*layer.weight*");
        a.Invoking(x => x.GetTensor("layer.weight", TensorDType.Float32, 3, 2)).Should().Throw<InvalidDataException>().WithMessage("*'layer.weight'*[2, 3]*expected [3, 2]*");
        a.Invoking(x => x.GetTensor("layer.weight", TensorDType.Int64)).Should().Throw<InvalidDataException>().WithMessage("*Float32*expected Int64*");
    }

    [Fact]
    public void Saving_over_an_existing_archive_replaces_it_and_leaves_no_temp_files()
    {
        var path = Path.Combine(_dir, "m.llmml");
        Sample().Save(path);
        new ModelArchive("Test.Component", 3).Save(path);

        ModelArchive.Load(path).ComponentVersion.Should().Be(3);
        Directory.GetFiles(_dir).Should().Equal(path);
    }

    [Fact]
    public void A_failed_save_cleans_up_its_temporary_file()
    {
        // A directory where the archive should go makes the final rename fail after the content was written.
        var target = Path.Combine(_dir, "occupied");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "x");

        var act = () => Sample().Save(target);

        act.Should().Throw<IOException>();
        Directory.GetFiles(_dir).Should().BeEmpty("the temporary file must be removed");
        File.ReadAllText(Path.Combine(target, "keep.txt")).Should().Be("x");
    }
}
