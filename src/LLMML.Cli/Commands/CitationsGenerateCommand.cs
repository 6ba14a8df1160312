using System.CommandLine;
using LLMML.Citations.Loading;
using LLMML.Citations.Synthetic;
using LLMML.Foundation.Persistence;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml citations generate`: a synthetic ACL-like graph as S2-style JSONL plus the list of seed papers.</summary>
internal static class CitationsGenerateCommand
{
    public static Command Create()
    {
        var outPath = new Option<FileInfo>("--out", "-o") { Description = "JSONL file to write (read back with --format s2 --field-column track).", Required = true };
        var seeds = new Option<int>("--seeds") { Description = "Seed papers.", DefaultValueFactory = _ => 9255 };
        var nodes = new Option<int>("--nodes") { Description = "Papers in all.", DefaultValueFactory = _ => 185_384 };
        var edges = new Option<int>("--edges") { Description = "Approximate citations.", DefaultValueFactory = _ => 786_376 };
        var seed = new Option<int>("--random-seed") { Description = "Random seed.", DefaultValueFactory = _ => 2024 };
        var command = new Command("generate", "Write a synthetic ACL-like one-hop citation graph (tracks, years 2018–2023) as Semantic Scholar-style JSONL, and <out>.seeds.txt.")
        {
            outPath, seeds, nodes, edges, seed,
        };
        command.SetAction(parse =>
        {
            CommonOptions.CheckOutputFile(parse.GetValue(outPath)!.FullName);
            CommonOptions.CheckOutputFile(parse.GetValue(outPath)!.FullName + ".seeds.txt");
            var s = AclLikeGraphGenerator.Generate(new AclLikeGraphOptions
            {
                Seeds = parse.GetValue(seeds), Nodes = parse.GetValue(nodes), Edges = parse.GetValue(edges), RandomSeed = parse.GetValue(seed),
            });
            var path = OutputPath.CheckFile(parse.GetValue(outPath)!.FullName);
            var seedsPath = OutputPath.CheckFile(path + ".seeds.txt");
            SemanticScholarJsonl.Write(s.Graph, path);
            AtomicFile.Write(seedsPath, stream =>
            {
                using var w = new StreamWriter(stream, leaveOpen: true);
                foreach (var i in Enumerable.Range(0, s.Graph.NodeCount).Where(i => s.IsSeed[i])) w.WriteLine(s.Graph.PaperIds[i]);
            });
            AnsiConsole.MarkupLineInterpolated($"{s.Graph.NodeCount:N0} papers, {s.Graph.EdgeCount:N0} citations → [green]{path}[/]; seed ids → [green]{seedsPath}[/]");
            return Task.FromResult(0);
        });
        return command;
    }
}
