using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Zoo;

/// <summary>
/// ResNet's basic block with group norm: conv1 (3x3, stride s) → gn1 → ReLU → conv2 (3x3) → gn2,
/// plus a 1x1-conv and group-norm shortcut ("shortcut.0", "shortcut.1") when the shape changes.
/// </summary>
internal sealed class BasicBlock : Module
{
    private readonly Conv2d _conv1, _conv2;
    private readonly GroupNorm _gn1, _gn2;
    private readonly Conv2d? _shortcutConv;
    private readonly GroupNorm? _shortcutNorm;

    public BasicBlock(ParameterBuilder b, string name, int inChannels, int outChannels, int stride, int groups)
    {
        _conv1 = new Conv2d(b, Join(name, "conv1"), inChannels, outChannels, 3, stride, 1, bias: false);
        _gn1 = new GroupNorm(b, Join(name, "gn1"), groups, outChannels);
        _conv2 = new Conv2d(b, Join(name, "conv2"), outChannels, outChannels, 3, 1, 1, bias: false);
        _gn2 = new GroupNorm(b, Join(name, "gn2"), groups, outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            _shortcutConv = new Conv2d(b, Join(name, "shortcut.0"), inChannels, outChannels, 1, stride, 0, bias: false);
            _shortcutNorm = new GroupNorm(b, Join(name, "shortcut.1"), groups, outChannels);
        }
    }

    public override Tensor Forward(Tape tape, Tensor x)
    {
        var h = tape.Relu(_gn1.Forward(tape, _conv1.Forward(tape, x)));
        h = _gn2.Forward(tape, _conv2.Forward(tape, h));
        var shortcut = _shortcutConv is null ? x : _shortcutNorm!.Forward(tape, _shortcutConv.Forward(tape, x));
        return tape.Relu(tape.Add(h, shortcut));
    }
}
