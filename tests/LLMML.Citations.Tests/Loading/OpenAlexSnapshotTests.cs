using System.IO.Compression;
using LLMML.Citations.Loading;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Loading;

public sealed class OpenAlexSnapshotTests : TemporaryFolderTest
{
    private static readonly string Snapshot = RepositoryFiles.TestData("openalex-snapshot");

    // A writable copy of the miniature snapshot, to damage.
    private string Copy()
    {
        var target = Path.Combine(Dir, "snapshot");
        foreach (var file in Directory.EnumerateFiles(Snapshot, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(Snapshot, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    [Fact]
    public void The_miniature_snapshot_loads_from_its_gzip_parts_in_manifest_order()
    {
        var r = CitationLoader.Load(Snapshot, CitationFormat.OpenAlex);
        var g = r.Graph;
        g.PaperIds.Should().Equal("W1", "W2", "W3", "W4", "W99", "W6", "W7");
        g.EdgeCount.Should().Be(11);
        g.Cites(g.IndexOf("W4"), g.IndexOf("W99")).Should().BeTrue();
        g.Cites(g.IndexOf("W7"), g.IndexOf("W6")).Should().BeTrue();
        g.CitationCount(g.IndexOf("W1")).Should().Be(4);
        g.YearOf(g.IndexOf("W6")).Should().Be(2021);
        g.FieldNameOf(g.IndexOf("W3")).Should().Be("Mathematics");
        r.Diagnostics.Records.Should().Be(7);
        r.Diagnostics.MalformedCount.Should().Be(1);
        var bad = r.Diagnostics.Malformed[0];
        bad.File.Should().Be(Path.Combine("updated_date=2024-02-20", "part_000.gz"));
        bad.Line.Should().Be(2);
        bad.Message.Should().Contain("publication_year");
    }

    [Fact]
    public void The_works_folder_itself_and_a_snapshot_without_manifest_load_the_same_graph()
    {
        var copy = Copy();
        File.Delete(Path.Combine(copy, "works", "manifest"));
        var reference = OpenAlexSnapshot.Load(Snapshot).Graph;
        foreach (var path in new[] { Path.Combine(Snapshot, "works"), copy })
        {
            var g = OpenAlexSnapshot.Load(path).Graph;
            g.PaperIds.Should().Equal(reference.PaperIds);
            g.EdgeCount.Should().Be(reference.EdgeCount);
        }
    }

    [Fact]
    public void A_record_count_that_differs_from_the_manifest_is_reported()
    {
        var copy = Copy();
        var manifest = Path.Combine(copy, "works", "manifest");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"record_count\": 1", "\"record_count\": 2"));
        var r = OpenAlexSnapshot.Load(copy);
        r.Diagnostics.Malformed.Should().Contain(m => m.File == Path.Combine("updated_date=2024-02-20", "part_001.gz")
            && m.Message == "the manifest lists 2 records, the part holds 1");
    }

    [Fact]
    public void A_manifest_naming_files_outside_the_folder_or_missing_parts_is_refused()
    {
        var copy = Copy();
        var manifest = Path.Combine(copy, "works", "manifest");
        var text = File.ReadAllText(manifest);
        File.WriteAllText(manifest, text.Replace("works/updated_date=2024-01-15/part_000.gz", "works/../../../etc/passwd"));
        var act = () => OpenAlexSnapshot.Load(copy);
        act.Should().Throw<InvalidDataException>().WithMessage($"{manifest}: entries[0].url '*' points outside the snapshot folder");
        File.WriteAllText(manifest, text.Replace("part_001.gz", "part_002.gz"));
        act.Should().Throw<InvalidDataException>().WithMessage($"{manifest}: entries[2]: part '*part_002.gz' is missing");
    }

    [Fact]
    public void A_corrupt_part_names_the_part()
    {
        var copy = Copy();
        var part = Path.Combine(copy, "works", "updated_date=2024-02-20", "part_001.gz");
        var bytes = File.ReadAllBytes(part);
        for (int i = 12; i < bytes.Length - 8; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(part, bytes);
        var act = () => OpenAlexSnapshot.Load(copy);
        act.Should().Throw<InvalidDataException>().WithMessage($"{part}: *");
    }

    [Fact]
    public void Parts_stream_through_the_line_cap()
    {
        var copy = Copy();
        var part = Path.Combine(copy, "works", "updated_date=2024-02-20", "part_001.gz");
        using (var gz = new GZipStream(File.Create(part), CompressionLevel.Fastest))
            gz.Write(System.Text.Encoding.UTF8.GetBytes("{\"id\": \"W8\", \"pad\": \"" + new string('x', 10_000) + "\"}\n"));
        var act = () => OpenAlexSnapshot.Load(copy, new CitationLoadOptions { MaxLineBytes = 1000 });
        act.Should().Throw<InvalidDataException>().WithMessage($"{part}: line 1 is longer than 1,000 bytes*");
    }
}
