using System.CommandLine;
using System.Runtime.InteropServices;
using LLMML.Cli;
using LLMML.Cli.Commands;
using LLMML.LanguageModels.Devices;

// Before anything loads libtorch: its OpenMP threads must wait passively, or a busy core stalls every parallel op.
TorchThreading.PreferPassiveWaiting();

// Ctrl+C (or SIGTERM) cancels the token every command receives; long work stops at its next step boundary (a training
// run writes its checkpoint first). A second Ctrl+C ends the process at once.
using var cancellation = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
return await LlmmlCli.RunAsync(args, Console.Error, cancellation.Token);

void Cancel(PosixSignalContext signal)
{
    signal.Cancel = !cancellation.IsCancellationRequested;
    if (signal.Cancel) Console.Error.WriteLine("llmml: stopping after the current step (Ctrl+C again to kill)...");
    cancellation.Cancel();
}

namespace LLMML.Cli
{
    /// <summary>The `llmml` command tree and the one place its outcomes become exit codes (also run in-process by tests).</summary>
    public static class LlmmlCli
    {
        public static RootCommand Create() => new("LLMML: interpretability research methods as ML.NET components on TorchSharp.")
        {
            InfoCommand.Create(),
            TasksCommand.Create(),
            EvalCommand.Create(),
            EigenpruneCommand.Create(),
            EigenpruneReproduceCommand.Create(),
            GenerateCommand.Create(),
            RaspCommand.Create(),
            PretrainCommand.Create(),
            KnowledgeCommand.Create(),
            BenchCommand.Create(),
            CitationsCommand.Create(),
            ComplexityCommand.Create(),
            SweepCommand.Create(),
            InjectCommand.Create(),
            DecodeCommand.Create(),
        };

        /// <summary>
        /// Runs one command line: 0 on success, 2 with one line on <paramref name="error"/> for input the user must fix,
        /// 130 when cancelled, 70 with a short line and a crash-report path for anything else (a bug of ours).
        /// </summary>
        public static async Task<int> RunAsync(string[] args, TextWriter error, CancellationToken cancellationToken = default)
        {
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null, Error = error };
            try
            {
                var parse = Create().Parse(args);
                // A bad argument is bad input like any other: one line, exit 2 (help stays behind --help).
                if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
                {
                    var problems = parse.Errors.Select(p => p.Message.ReplaceLineEndings("\\n")).Distinct().ToList();
                    var more = problems.Count > 3 ? $" (and {problems.Count - 3} more)" : "";
                    error.WriteLine($"llmml: {string.Join(" ", problems.Take(3))}{more} See --help.");
                    return UserErrors.UserErrorExit;
                }
                return await parse.InvokeAsync(invocation, cancellationToken);
            }
            catch (Exception e)
            {
                return UserErrors.Report(e, args, error);
            }
        }
    }
}
