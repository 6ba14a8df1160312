using System.Text;
using LLMML.Citations.Loading;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Loading;

/// <summary>Inputs a careless or malicious user produced (issue 18): each gets one clear error naming the file, or the right graph.</summary>
public sealed class HostileInputTests : TemporaryFolderTest
{
    private string Path_(string name) => Path.Combine(Dir, name);

    private string Write(string name, string text)
    {
        var path = Path_(name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Batch = """{"total": 3, "offset": 0, "data": [{"paperId": "A", "year": 2020, "references": [{"paperId": "B"}, {"paperId": "C"}]}, {"paperId": "B", "year": 2019, "references": [{"paperId": "C"}]}, {"paperId": "C", "year": 2018}]}""";

    [Theory]
    [InlineData("batch.json")]
    [InlineData("batch.jsonl")]
    [InlineData("batch.txt")]
    public void A_single_line_graph_api_batch_reads_as_its_papers_like_the_pretty_printed_one(string name)
    {
        var oneLine = SemanticScholarLoader.Load(Write(name, Batch));
        var pretty = SemanticScholarLoader.Load(Write("pretty-" + name, System.Text.Json.JsonSerializer.Serialize(
            System.Text.Json.JsonDocument.Parse(Batch).RootElement, new System.Text.Json.JsonSerializerOptions { WriteIndented = true })));
        foreach (var r in new[] { oneLine, pretty })
        {
            r.Diagnostics.MalformedCount.Should().Be(0);
            r.Diagnostics.Records.Should().Be(3);
            r.Graph.NodeCount.Should().Be(3);
            r.Graph.EdgeCount.Should().Be(3);
            r.Graph.Cites(r.Graph.IndexOf("A"), r.Graph.IndexOf("C")).Should().BeTrue();
        }
    }

    [Fact]
    public void Jsonl_of_batches_keeps_the_good_elements_and_names_line_and_element_of_the_bad_one()
    {
        var path = Write("batches.jsonl", Batch + "\n" + """{"data": [{"paperId": "D", "references": [{"paperId": "A"}]}, {"title": "no id"}]}""" + "\n");
        var r = SemanticScholarLoader.Load(path);
        r.Graph.Cites(r.Graph.IndexOf("D"), r.Graph.IndexOf("A")).Should().BeTrue();
        r.Diagnostics.Records.Should().Be(5);
        r.Diagnostics.MalformedCount.Should().Be(1);
        r.Diagnostics.Malformed[0].Line.Should().Be(2);
        r.Diagnostics.Malformed[0].Message.Should().StartWith("data[1]: ").And.Contain("paperId");
    }

    [Theory]
    [InlineData(CitationFormat.S2)]
    [InlineData(CitationFormat.S2orc)]
    [InlineData(CitationFormat.OpenAlex)]
    public void A_line_longer_than_the_cap_is_refused_with_file_and_line(CitationFormat format)
    {
        var path = Write("long.jsonl", """{"paperId": "A", "paper_id": "A", "id": "A"}""" + "\n" + """{"paperId": "B", "pad": """ + "\"" + new string('x', 5000) + "\"}\n");
        var act = () => CitationLoader.Load(path, format, new CitationLoadOptions { MaxLineBytes = 1000 });
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: line 2 is longer than 1,000 bytes*");
    }

    [Fact]
    public void A_first_line_longer_than_the_cap_is_refused_before_it_is_buffered()
    {
        var path = Write("one-line.jsonl", """{"paperId": "A", "pad": """ + "\"" + new string('x', 100_000) + "\"}");
        var act = () => CitationLoader.Load(path, CitationFormat.S2, new CitationLoadOptions { MaxLineBytes = 4096 });
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: line 1 is longer than 4,096 bytes*");
    }

    [Fact]
    public void A_json_array_element_longer_than_the_cap_is_refused_with_file_and_element()
    {
        var path = Write("array.json", """[{"paperId": "A"}, {"paperId": "B", "pad": """ + "\"" + new string('x', 100_000) + "\"}]");
        var act = () => CitationLoader.Load(path, CitationFormat.S2, new CitationLoadOptions { MaxLineBytes = 4096 });
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: array element 2 is longer than 4,096 bytes*");
    }

    [Fact]
    public void A_pretty_printed_document_larger_than_the_cap_is_refused_before_parsing()
    {
        var path = Write("big.json", "{\n  \"data\": [\n" + string.Join(",\n", Enumerable.Range(0, 200).Select(i => $"    {{\"paperId\": \"P{i}\"}}")) + "\n  ]\n}\n");
        var act = () => CitationLoader.Load(path, CitationFormat.S2, new CitationLoadOptions { MaxLineBytes = 1000 });
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: a single JSON document of * bytes is larger than the 1,000-byte record limit*");
        CitationLoader.Load(path, CitationFormat.S2).Graph.NodeCount.Should().Be(200);
    }

    [Theory]
    [InlineData("<i8", "(99999999999,)")]
    [InlineData("<i8", "(-1,)")]
    [InlineData("<i8", "(1048576, 1048576)")]
    [InlineData("<f", "(3,)")]
    [InlineData("<i3", "(3,)")]
    [InlineData("<i8", "(3, x)")]
    public void Hostile_label_headers_are_refused_naming_file_and_array(string dtype, string shape)
    {
        var path = Path_("cora.npz");
        NpyFiles.Cora(path, NpyFiles.Npy(NpyFiles.Header(dtype, shape), NpyFiles.Int64(0, 1, 1)));
        var act = () => CoraDataset.Read(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: array 'labels': *");
        var viaLoader = () => CitationLoader.Load(path, CitationFormat.Cora);
        viaLoader.Should().Throw<InvalidDataException>().WithMessage($"{path}: array 'labels': *");
    }

    [Fact]
    public void A_well_formed_miniature_archive_loads()
    {
        var path = Path_("cora.npz");
        NpyFiles.Cora(path, NpyFiles.Npy(NpyFiles.Header("<i8", "(3,)"), NpyFiles.Int64(0, 1, 1)));
        var cora = CoraDataset.Read(path);
        cora.Graph.EdgeCount.Should().Be(2);
        cora.Graph.Cites(cora.Graph.IndexOf("p1"), cora.Graph.IndexOf("p0")).Should().BeTrue();
        cora.Graph.FieldNameOf(cora.Graph.IndexOf("p2")).Should().Be("B");
    }

    [Fact]
    public void Labels_beyond_int32_and_matrices_for_vectors_are_named()
    {
        var path = Path_("big.npz");
        NpyFiles.Cora(path, NpyFiles.Npy(NpyFiles.Header("<i8", "(3,)"), NpyFiles.Int64(0, 1L << 40, 1)));
        var act = () => CoraDataset.Read(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: array 'labels': element 1 = 1099511627776 does not fit*");
        NpyFiles.Cora(path = Path_("matrix.npz"), NpyFiles.Npy(NpyFiles.Header("<i8", "(3, 1)"), NpyFiles.Int64(0, 1, 1)));
        act = () => CoraDataset.Read(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: array 'labels': expected a vector*");
    }

    [Fact]
    public void Row_pointers_that_run_past_the_indices_are_an_error_not_an_index_exception()
    {
        var path = Path_("csr.npz");
        NpyFiles.Cora(path, NpyFiles.Npy(NpyFiles.Header("<i8", "(3,)"), NpyFiles.Int64(0, 1, 1)),
            indptr: NpyFiles.Npy(NpyFiles.Header("<i8", "(4,)"), NpyFiles.Int64(0, 2, 1, 9)));
        var act = () => CoraDataset.Read(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: array 'adj_indptr': *");
    }

    [Fact]
    public void A_file_that_is_not_a_zip_and_a_truncated_header_name_the_file()
    {
        var notZip = Write("not.npz", "hello");
        var act = () => CoraDataset.Read(notZip);
        act.Should().Throw<InvalidDataException>().WithMessage($"{notZip}: not a readable .npz*");

        var truncated = Path_("truncated.npz");
        var npy = NpyFiles.Npy(NpyFiles.Header("<i8", "(3,)"), NpyFiles.Int64(0, 1, 1));
        npy[8] = 0xFF; npy[9] = 0xFF; // header length 65,535: beyond the entry
        NpyFiles.Cora(truncated, npy);
        act = () => CoraDataset.Read(truncated);
        act.Should().Throw<InvalidDataException>().WithMessage($"{truncated}: array 'labels': .npy header claims 65,535 bytes*");
    }
}
