using System.Runtime.CompilerServices;

namespace LLMML.Complexity.Tests;

internal static class TorchThreads
{
    // One intra-op thread: these models are tiny, and on a busy 2-core machine a second OpenMP thread spends its time
    // waiting at barriers (a 60-step training test took 22 s with two threads). Encoder and decoder share the setting.
    [ModuleInitializer]
    internal static void UseOneThread() => TorchSharp.torch.set_num_threads(1);
}
