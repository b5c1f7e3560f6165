"""PyTorch side of gimp-sr: reference networks, the .srm model file, metrics.

The modules here mirror the C core (core/) layer for layer so that a model
file can be loaded straight into them (`load_state_dict`) and the C output can
be checked against PyTorch.  Nothing here is needed at run time by GIMP.

  archs      the five architectures, with the canonical tensor names of
             docs/model-format.md, plus ECBSR's training form
  modelfile  read/write .srm files
  metrics    PSNR-Y, SSIM-Y and MATLAB-style bicubic resize (eval protocol)
"""
