using System.CommandLine;
using System.Text.Json;
using LLMML.Rasp.Compiler;
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
        var program = new Option<string?>("--program", "-p") { Description = "Check one library program." };
        var maxLen = new Option<int>("--max-len", "-n") { Description = "Maximum input length.", DefaultValueFactory = _ => 8 };
        var inputs = new Option<int>("--inputs") { Description = "Random inputs per length.", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("check", "Compare compiled models (float32) and the IR oracle with the evaluator on random inputs of every length.")
            { all, program, maxLen, inputs, seed, json };
        command.SetAction((parse, ct) =>
        {
            var name = parse.GetValue(program);
            if (!parse.GetValue(all) && name is null)
            {
                Console.Error.WriteLine("error: give --all or --program NAME.");
                return Task.FromResult(2);
            }
            var entries = name is null ? ProgramCatalog.All : [ProgramCatalog.Get(name)];
            var n = parse.GetValue(maxLen);
            var reports = entries.Select(e => AgreementCheck.Run(e.Name, e.Build(n),
                new RaspCompilerOptions { Vocabulary = e.Vocabulary, MaxLength = n, Causal = e.Causal },
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
