using System.CommandLine;
using System.Runtime.InteropServices;
using LLMML.Cli.Commands;

var root = new RootCommand("LLMML: interpretability research methods as ML.NET components on TorchSharp.")
{
    InfoCommand.Create(),
    TasksCommand.Create(),
    EvalCommand.Create(),
    EigenpruneCommand.Create(),
    GenerateCommand.Create(),
    RaspCommand.Create(),
    PretrainCommand.Create(),
    BenchCommand.Create(),
    CitationsCommand.Create(),
    ComplexityCommand.Create(),
    SweepCommand.Create(),
};
// Ctrl+C (or SIGTERM) cancels the token every command receives; long work stops at its next step boundary (a training
// run writes its checkpoint first). A second Ctrl+C ends the process at once.
using var cancellation = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
try
{
    return await root.Parse(args).InvokeAsync(invocation, cancellation.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("llmml: cancelled.");
    return 130;
}
catch (Exception e) when (UserErrors.Is(e))
{
    // Bad input is the user's to fix: say what is wrong, not where in our code it was noticed.
    Console.Error.WriteLine($"llmml: {e.Message}");
    return 2;
}

void Cancel(PosixSignalContext signal)
{
    signal.Cancel = !cancellation.IsCancellationRequested;
    if (signal.Cancel) Console.Error.WriteLine("llmml: stopping after the current step (Ctrl+C again to kill)...");
    cancellation.Cancel();
}
