// Masks of 60 ms each (see ../fake-segmentation.js).
self.maskCost = 60;
importScripts('/test/unit/media/fake-mediapipe/fake-segmentation.js');
