using LLMML.Citations.Graphs;
using LLMML.Citations.Loading;
using LLMML.Citations.Tests.Support;

namespace LLMML.Citations.Tests.Loading;

public sealed class LoaderTests : TemporaryFolderTest
{
    private string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Cora_archive_has_the_published_sizes_and_is_turned_citing_to_cited()
    {
        var cora = CoraDataset.Read(RepositoryFiles.Data("cora.npz"));
        cora.Graph.NodeCount.Should().Be(2708);
        cora.Graph.EdgeCount.Should().Be(5429);
        cora.ClassNames.Should().HaveCount(7);
        cora.VocabularySize.Should().Be(1433);
        cora.Words.Sum(w => w.Length).Should().Be(49216);
        // cora.cites' first line is "35<TAB>1033": paper 1033 cites paper 35.
        var g = cora.Graph;
        g.Cites(g.IndexOf("1033"), g.IndexOf("35")).Should().BeTrue();
        g.CitationCount(g.IndexOf("35")).Should().Be(166);
        g.FieldNameOf(g.IndexOf("35")).Should().Be(cora.ClassNames[cora.Labels[g.IndexOf("35")]]);
    }

    [Fact]
    public void Cora_text_links_give_the_same_graph_as_the_archive()
    {
        var fromText = CitationLoader.Load(RepositoryFiles.Data("cora.cites"), CitationFormat.Cora).Graph;
        var fromArchive = CoraDataset.Read(RepositoryFiles.Data("cora.npz")).Graph;
        fromText.NodeCount.Should().Be(fromArchive.NodeCount);
        fromText.EdgeCount.Should().Be(fromArchive.EdgeCount);
        for (int u = 0; u < fromArchive.NodeCount; u++)
        {
            int t = fromText.IndexOf(fromArchive.PaperIds[u]);
            fromText.FieldNameOf(t).Should().Be(fromArchive.FieldNameOf(u));
            var refs = fromArchive.ReferencesOf(u).ToArray().Select(v => fromArchive.PaperIds[v]).Order();
            fromText.ReferencesOf(t).ToArray().Select(v => fromText.PaperIds[v]).Order().Should().Equal(refs);
        }
    }

    [Fact]
    public void Malformed_cites_lines_are_reported_by_line_number()
    {
        var path = Write("x.cites", "1\t2\n\nbad line here\n3\t1\n4\n");
        var r = CoraCitesLoader.Load(path);
        r.Graph.EdgeCount.Should().Be(2);
        r.Graph.Cites(r.Graph.IndexOf("2"), r.Graph.IndexOf("1")).Should().BeTrue();
        r.Diagnostics.MalformedCount.Should().Be(2);
        r.Diagnostics.Malformed.Select(m => m.Line).Should().Equal(3, 5);
        r.Diagnostics.BlankLines.Should().Be(1);
    }

    [Fact]
    public void S2_graph_api_records_with_link_objects_keep_influence_and_intents()
    {
        var path = Write("s2.jsonl", """
            {"paperId": "A", "year": 2021, "venue": "ACL", "track": "IA", "references": [{"citedPaper": {"paperId": "B", "year": 2019}, "isInfluential": true, "intents": ["methodology"]}, {"citedPaper": {"paperId": null}}], "citations": [{"citingPaper": {"paperId": "C"}, "isInfluential": false, "intents": ["background", "result"]}]}
            {"paperId": "B", "year": 2019, "track": "ML", "references": [], "citations": [{"paperId": "A"}]}
            not json
            {"title": "no id"}
            {"paperId": "D", "year": "soon"}
            """);
        var r = SemanticScholarLoader.Load(path, new CitationLoadOptions { FieldProperty = "track" });
        var g = r.Graph;
        int a = g.IndexOf("A"), b = g.IndexOf("B"), c = g.IndexOf("C");
        g.Cites(a, b).Should().BeTrue();
        g.Cites(c, a).Should().BeTrue();
        g.EdgeCount.Should().Be(2);
        g.ReferenceFlagsOf(a)[0].Should().Be(EdgeFlags.Annotated | EdgeFlags.Influential | EdgeFlags.Methodology);
        g.CitationFlagsOf(a)[0].Should().Be(EdgeFlags.Annotated | EdgeFlags.Background | EdgeFlags.Result);
        g.YearOf(b).Should().Be(2019);
        g.FieldNameOf(a).Should().Be("IA");
        r.Diagnostics.Records.Should().Be(5);
        r.Diagnostics.DuplicateEdges.Should().Be(1); // A → B seen from both records
        r.Diagnostics.UnresolvedLinks.Should().Be(1);
        r.Diagnostics.Malformed.Select(m => m.Line).Should().Equal(3, 4, 5);
        r.Diagnostics.Malformed[2].Message.Should().Contain("year");
        g.IndexOf("D").Should().Be(-1, "a malformed record is rejected whole");
    }

    [Fact]
    public void S2_jsonl_fast_path_and_json_array_general_path_agree()
    {
        string[] records =
        [
            """{"paperId": "A", "corpusId": 1, "year": 2020, "track": "IA", "title": "x", "authors": [{"name": "n"}], "references": [{"citedPaper": {"paperId": "B", "year": 2018, "track": "ML"}, "isInfluential": true, "intents": ["background", "methodology"], "contexts": ["..."]}, {"citedPaper": {"paperId": null, "corpusId": 77}}, {"paperId": "C", "year": null}], "citations": [{"citingPaper": null}, {"citingPaper": {"corpusId": 5}, "isInfluential": false, "intents": []}]}""",
            """{"corpusId": 9, "year": 2021, "track": null, "references": [{"citedPaper": {"paperId": "A"}, "intents": [["result"]], "paperId": "ignored"}]}""",
            """{"paperId": "D", "year": "2019", "references": [{"paperId": "A", "intents": ["result comparison"]}]}""",
            """{"paperId": "E", "year": 1, "references": []}""",
        ];
        var jsonl = LoadS2(Write("fast.jsonl", string.Join("\n", records)));
        var array = LoadS2(Write("general.json", "[" + string.Join(",\n", records) + "]"));
        array.Diagnostics.MalformedCount.Should().Be(1);
        jsonl.Diagnostics.MalformedCount.Should().Be(1);
        jsonl.Diagnostics.UnresolvedLinks.Should().Be(array.Diagnostics.UnresolvedLinks).And.Be(1);
        var a = jsonl.Graph;
        var b = array.Graph;
        a.PaperIds.Should().Equal(b.PaperIds);
        for (int u = 0; u < a.NodeCount; u++)
        {
            a.ReferencesOf(u).ToArray().Should().Equal(b.ReferencesOf(u).ToArray());
            a.ReferenceFlagsOf(u).ToArray().Should().Equal(b.ReferenceFlagsOf(u).ToArray());
            a.YearOf(u).Should().Be(b.YearOf(u));
            a.FieldNameOf(u).Should().Be(b.FieldNameOf(u));
        }
        a.Cites(a.IndexOf("A"), a.IndexOf("77")).Should().BeTrue("a null paperId falls back to corpusId");
        a.ReferenceFlagsOf(a.IndexOf("9"))[0].Should().Be(EdgeFlags.Annotated | EdgeFlags.Result);
    }

    private static GraphLoadResult LoadS2(string path) => SemanticScholarLoader.Load(path, new CitationLoadOptions { FieldProperty = "track" });

    [Fact]
    public void S2_json_array_and_data_wrapped_files_are_read_too()
    {
        var array = Write("s2.json", """
            [
              {"paperId": "A", "fieldsOfStudy": ["Computer Science"], "references": [{"paperId": "B"}]},
              {"paperId": "B", "citations": [{"paperId": "C"}]},
              42
            ]
            """);
        var r = SemanticScholarLoader.Load(array);
        r.Graph.EdgeCount.Should().Be(2);
        r.Graph.FieldNameOf(r.Graph.IndexOf("A")).Should().Be("Computer Science");
        r.Diagnostics.Malformed.Should().ContainSingle().Which.Line.Should().Be(3);

        var wrapped = Write("batch.json", """
            {"total": 1,
             "data": [ {"paperId": "X", "references": [{"paperId": "Y"}]} ]}
            """);
        SemanticScholarLoader.Load(wrapped).Graph.Cites(0, 1).Should().BeTrue();
    }

    [Fact]
    public void S2_citation_dataset_edge_records_are_cited_to_citing_in_name_only()
    {
        var path = Write("edges.jsonl", """
            {"citingcorpusid": 10, "citedcorpusid": 20, "isinfluential": true, "intents": [["methodology"], ["background"]]}
            {"citingcorpusid": 10, "citedcorpusid": null}
            """);
        var r = SemanticScholarLoader.Load(path);
        r.Graph.Cites(r.Graph.IndexOf("10"), r.Graph.IndexOf("20")).Should().BeTrue();
        r.Graph.ReferenceFlagsOf(r.Graph.IndexOf("10"))[0].Should().Be(EdgeFlags.Annotated | EdgeFlags.Influential | EdgeFlags.Methodology | EdgeFlags.Background);
        r.Diagnostics.UnresolvedLinks.Should().Be(1);
    }

    [Fact]
    public void S2orc_sample_loads_with_its_inbound_and_outbound_links()
    {
        var r = S2orcLoader.Load(RepositoryFiles.Data("s2orc_metadata_sample.jsonl"));
        r.Diagnostics.Records.Should().Be(1000);
        r.Diagnostics.MalformedCount.Should().Be(0);
        // Independent count: distinct (citing, cited) pairs over all records' outbound and inbound lists.
        var pairs = new HashSet<(string, string)>();
        foreach (var line in File.ReadLines(RepositoryFiles.Data("s2orc_metadata_sample.jsonl")))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            var id = doc.RootElement.GetProperty("paper_id").GetString()!;
            foreach (var o in doc.RootElement.GetProperty("outbound_citations").EnumerateArray()) if (o.GetString() != id) pairs.Add((id, o.GetString()!));
            foreach (var i in doc.RootElement.GetProperty("inbound_citations").EnumerateArray()) if (i.GetString() != id) pairs.Add((i.GetString()!, id));
        }
        r.Graph.EdgeCount.Should().Be(pairs.Count);
        pairs.Should().NotBeEmpty();
        var (citing, cited) = pairs.First();
        r.Graph.Cites(r.Graph.IndexOf(citing), r.Graph.IndexOf(cited)).Should().BeTrue();
        r.Graph.FieldNames.Should().Contain("Medicine");
    }

    [Fact]
    public void OpenAlex_works_lose_the_url_prefix_and_take_the_primary_topic_field()
    {
        var path = Write("works.jsonl", """
            {"id": "https://openalex.org/W1", "publication_year": 2022, "referenced_works": ["https://openalex.org/W2", "https://openalex.org/W3"], "primary_topic": {"field": {"display_name": "Computer Science"}}}
            {"id": "https://openalex.org/W2", "publication_year": 2020, "referenced_works": [], "topics": [{"field": {"id": "f", "display_name": "Linguistics"}}]}
            {"id": "https://openalex.org/W4", "referenced_works": "W1"}
            """);
        var r = OpenAlexLoader.Load(path);
        var g = r.Graph;
        g.Cites(g.IndexOf("W1"), g.IndexOf("W2")).Should().BeTrue();
        g.Cites(g.IndexOf("W1"), g.IndexOf("W3")).Should().BeTrue();
        g.FieldNameOf(g.IndexOf("W1")).Should().Be("Computer Science");
        g.FieldNameOf(g.IndexOf("W2")).Should().Be("Linguistics");
        g.YearOf(g.IndexOf("W1")).Should().Be(2022);
        r.Diagnostics.Malformed.Should().ContainSingle().Which.Should().Be(new MalformedRecord(3, "'referenced_works' should be an array, found String"));
    }

    [Fact]
    public void An_OpenAlex_api_page_with_results_is_read_work_by_work()
    {
        var path = Write("page.json", """
            {"meta": {"count": 2},
             "results": [
               {"id": "https://openalex.org/W10", "publication_year": 2021, "referenced_works": ["https://openalex.org/W11"]},
               {"id": "https://openalex.org/W11", "publication_year": 2019, "referenced_works": []}
             ]}
            """);
        var r = CitationLoader.Load(path, CitationFormat.OpenAlex);
        r.Graph.NodeCount.Should().Be(2);
        r.Graph.Cites(r.Graph.IndexOf("W10"), r.Graph.IndexOf("W11")).Should().BeTrue();
        r.Graph.YearOf(r.Graph.IndexOf("W11")).Should().Be(2019);
    }

    [Fact]
    public void Long_lines_across_buffer_refills_are_read_whole()
    {
        var refs = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"r{i}\""));
        var path = Write("big.jsonl", $"{{\"paper_id\": \"p\", \"outbound_citations\": [{refs}], \"inbound_citations\": []}}\r\n{{\"paper_id\": \"q\", \"outbound_citations\": [\"p\"]}}");
        var r = S2orcLoader.Load(path);
        r.Graph.ReferenceCount(r.Graph.IndexOf("p")).Should().Be(5000);
        r.Graph.Cites(r.Graph.IndexOf("q"), r.Graph.IndexOf("p")).Should().BeTrue();
        r.Diagnostics.MalformedCount.Should().Be(0);
    }

    [Fact]
    public void A_missing_file_or_unknown_format_names_the_problem()
    {
        var act = () => CitationLoader.Load(Path.Combine(Dir, "nope.jsonl"), CitationFormat.S2);
        act.Should().Throw<FileNotFoundException>().WithMessage("*nope.jsonl*");
        var parse = () => CitationLoader.ParseFormat("bibtex");
        parse.Should().Throw<ArgumentException>().WithMessage("*bibtex*");
    }
}
