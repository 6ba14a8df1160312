using System.CommandLine;
using System.Text.Json;
using LLMML.Foundation.Persistence;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Library;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml bench rasp`: compile time and model size of every library program at several maximum lengths.</summary>
internal static class RaspBenchCommand
{
    public static Command Create()
    {
        var lengths = new Option<string>("--lengths") { Description = "Comma-separated maximum lengths.", DefaultValueFactory = _ => "8,16,40" };
        var output = CommonOptions.JsonFile();
        var baseline = new Option<bool>("--baseline") { Description = "Also compile without map fusion and linear SequenceMap detection (tracr's constructions)." };
        var command = new Command("rasp", "Compile every library program at each maximum length; report compile time and model size.") { lengths, output, baseline };
        command.SetAction(parse =>
        {
            CommonOptions.CheckOutputFile(parse.GetValue(output)?.FullName);
            var ns = parse.GetValue(lengths)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
            var reports = new List<RaspCompileReport>();
            var table = new Table().AddColumns("program", "N", "opt", "d_model", "layers", "heads", "mlp hidden", "params", "compile ms", "assemble ms");
            var variants = parse.GetValue(baseline) ? new[] { true, false } : [true];
            foreach (var entry in ProgramCatalog.All)
                foreach (var n in ns)
                    foreach (var optimise in variants)
                    {
                        // Warm the JIT once per program so the first length is not charged for it.
                        RaspCompilerOptions Options(bool optimise) => new()
                        {
                            Vocabulary = entry.Vocabulary, MaxLength = n, Causal = entry.Causal, FuseMaps = optimise, LinearSequenceMapDetection = optimise,
                        };
                        if (n == ns[0]) RaspCliSupport.CompileAndAssemble(entry.Name, entry.Build(n), Options(true)).Model.Dispose();
                        var (report, _, model) = RaspCliSupport.CompileAndAssemble(entry.Name, entry.Build(n), Options(optimise));
                        model.Dispose();
                        reports.Add(report);
                        table.AddRow(report.Program, n.ToString(), optimise ? "yes" : "no", report.DModel.ToString(), report.Layers.ToString(), report.Heads.ToString(),
                            report.MlpHidden.ToString(), report.Parameters.ToString("N0"), report.CompileMilliseconds.ToString("F1"),
                            report.AssembleMilliseconds.ToString("F1"));
                    }
            AnsiConsole.Write(table);
            if (parse.GetValue(output) is { } file) AtomicFile.Write(file.FullName, s => JsonSerializer.Serialize(s, reports, RaspCliSupport.Json));
            return 0;
        });
        return command;
    }
}
