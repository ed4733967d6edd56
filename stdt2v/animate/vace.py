"""Reference-to-video through diffusers' ``WanVACEPipeline`` (Wan2.1-VACE 1.3B and 14B).

VACE does not start from a first frame: reference images go into its context, each as one
latent frame in front of the video, and the video is generated around them. Here the
references are the identity keyframe (a prompt-consistent reference image: the challenge
winner's second addition) and/or the aligned reference face; diffusers fits each into the
video frame, aspect kept, on a white canvas. The output has ``num_frames`` frames (the
reference frames are dropped).
"""

from __future__ import annotations

from PIL import Image

from stdt2v.animate.wan import WanAnimator
from stdt2v.errors import StdT2VError


class WanVACEAnimator(WanAnimator):
    name = "wan_vace"
    pipeline_class = "WanVACEPipeline"

    def __init__(self, pipe, *, reference: str = "keyframe", conditioning_scale: float = 1.0, face_size: int = 512, **kwargs):
        super().__init__(pipe, **kwargs)
        self.reference = reference  # keyframe | face | both
        self.conditioning_scale = conditioning_scale
        self.face_size = face_size
        self.needs_face = reference in ("face", "both")

    def conditioning(self, image: Image.Image, face: Image.Image | None, height: int, width: int) -> dict:
        references = []
        if self.reference in ("keyframe", "both"):
            references.append(image)
        if self.needs_face:
            if face is None:
                raise StdT2VError(f"animate.vace.reference={self.reference}: the aligned reference face was not given to the animator")
            references.append(face)
        return {"reference_images": references, "conditioning_scale": self.conditioning_scale}

    def add_objects(self, conditioning: dict, objects: list) -> dict:
        """Object references (Track 2) after the person's, each one more reference frame."""
        return {**conditioning, "reference_images": list(conditioning["reference_images"]) + [o.convert("RGB") for o in objects]}
