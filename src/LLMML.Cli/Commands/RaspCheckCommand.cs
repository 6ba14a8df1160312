using System.CommandLine;
using System.Text.Json;
using LLMML.Rasp.Library;
using LLMML.Rasp.Torch.Verification;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml rasp check`: agreement of compiled models with the reference evaluator.</summary>
internal static class RaspCheckCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Check every library program." };
        var source = new RaspProgramOptions();
        var maxLen = new Option<int>("--max-len", "-n") { Description = "Maximum input length.", DefaultValueFactory = _ => 8 };
        var inputs = new Option<int>("--inputs") { Description = "Random inputs per length.", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("check",
            "Compare compiled models (float32) and the IR oracle with the evaluator on random inputs of every length: every library program (--all), one (--program) or your own .rasp file (--file, with --vocab).")
            { all, maxLen, inputs, seed, json };
        source.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(all) == source.Given(parse))
                throw new ArgumentException("Give exactly one of --all, --program NAME or --file PATH (with --vocab).");
            var n = parse.GetValue(maxLen);
            var choices = parse.GetValue(all)
                ? ProgramCatalog.All.Select(e => new RaspProgramChoice(e.Name, e.Build(n), e.Vocabulary, e.Causal)).ToList()
                : [source.Resolve(parse, n)];
            var reports = choices.Select(c => AgreementCheck.Run(c.Name, c.Program, source.CompilerOptions(parse, c, n),
                parse.GetValue(inputs), parse.GetValue(seed), cancellationToken: ct)).ToList();
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(reports, RaspCliSupport.Json));
            else
            {
                var table = new Table().AddColumns("program", "mode", "inputs", "model agreement", "oracle agreement", "first mismatch");
                foreach (var r in reports)
                    table.AddRow(r.Program, r.Causal ? "causal" : "non-causal", r.Inputs.ToString(), r.ModelAgreement.ToString("P2"),
                        r.OracleAgreement.ToString("P2"), Markup.Escape(r.FirstMismatch ?? "-"));
                AnsiConsole.Write(table);
            }
            return Task.FromResult(reports.All(r => r.ModelAgreement == 1 && r.OracleAgreement == 1) ? 0 : 1);
        });
        return command;
    }
}
