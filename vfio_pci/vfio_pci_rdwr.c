// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci BAR and ROM access through read() and write() on the device
 * file, and the lazy claiming and mapping of BARs that mmap() shares.
 *
 * Data goes through a kernel bounce buffer, so that no user memory is
 * touched while locks that the BAR page fault path takes are held.
 * Device accesses are naturally aligned and of at most 4 bytes, like
 * upstream 6.1: a longer access is a series of dword accesses.
 */
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/unaligned.h>

#include "vfio_pci_priv.h"

/* Shadow ROMs appear as 128 KiB option ROMs */
#define VFIO_PCI_SHADOW_ROM_SIZE	0x20000

/* Claims BAR @bar for vfio-pci and maps it into the kernel, once */
int vfio_pci_setup_barmap(struct vfio_pci_device *vdev, int bar)
{
	struct pci_dev *pdev = vdev->pdev;
	void __iomem *io;
	int ret = 0;

	mutex_lock(&vdev->bar_lock);
	if (vdev->barmap[bar])
		goto out_unlock;

	ret = pci_request_selected_regions(pdev, 1 << bar, "vfio-pci");
	if (ret)
		goto out_unlock;

	io = pci_iomap(pdev, bar, 0);
	if (!io) {
		pci_release_selected_regions(pdev, 1 << bar);
		ret = -ENOMEM;
		goto out_unlock;
	}
	vdev->barmap[bar] = io;

out_unlock:
	mutex_unlock(&vdev->bar_lock);
	return ret;
}

/* close_device: no user of the mappings is left */
void vfio_pci_release_barmaps(struct vfio_pci_device *vdev)
{
	int bar;

	mutex_lock(&vdev->bar_lock);
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!vdev->barmap[bar])
			continue;
		pci_iounmap(vdev->pdev, vdev->barmap[bar]);
		pci_release_selected_regions(vdev->pdev, 1 << bar);
		vdev->barmap[bar] = NULL;
	}
	mutex_unlock(&vdev->bar_lock);
}

/*
 * Moves @count bytes between @kbuf and offset @off of the mapping @io.
 * The range [@x_start, @x_end) is excluded (the MSI-X table, or what a
 * ROM BAR holds beyond its ROM): reads there return ones, writes are
 * dropped.  Memory BARs (@test_mem) are only touched while the user has
 * memory decode enabled: -EIO otherwise.
 */
static int vfio_pci_io_rw(struct vfio_pci_device *vdev, bool test_mem,
			  void __iomem *io, u8 *kbuf, loff_t off, size_t count,
			  size_t x_start, size_t x_end, bool iswrite)
{
	size_t fillable, n;

	if (test_mem) {
		down_read(&vdev->memory_lock);
		if (!vfio_pci_memory_enabled(vdev)) {
			up_read(&vdev->memory_lock);
			return -EIO;
		}
	}

	for (; count; count -= n, off += n, kbuf += n) {
		if (off < x_start)
			fillable = min_t(size_t, count, x_start - off);
		else if (off >= x_end)
			fillable = count;
		else
			fillable = 0;

		if (fillable >= 4 && !(off % 4)) {
			n = 4;
			if (iswrite)
				iowrite32(get_unaligned_le32(kbuf), io + off);
			else
				put_unaligned_le32(ioread32(io + off), kbuf);
		} else if (fillable >= 2 && !(off % 2)) {
			n = 2;
			if (iswrite)
				iowrite16(get_unaligned_le16(kbuf), io + off);
			else
				put_unaligned_le16(ioread16(io + off), kbuf);
		} else if (fillable) {
			n = 1;
			if (iswrite)
				iowrite8(*kbuf, io + off);
			else
				*kbuf = ioread8(io + off);
		} else {
			n = min_t(size_t, count, x_end - off);
			if (!iswrite)
				memset(kbuf, 0xff, n);
		}
	}

	if (test_mem)
		up_read(&vdev->memory_lock);
	return 0;
}

/*
 * Reads @count bytes at @off of the ROM BAR, of size @end.  The ROM is
 * mapped (and its BAR enabled) only for the access, under bar_lock, which
 * also keeps VFIO_DEVICE_GET_REGION_INFO from unmapping it meanwhile.
 */
static int vfio_pci_rom_read(struct vfio_pci_device *vdev, u8 *kbuf,
			     loff_t off, size_t count, size_t end)
{
	struct pci_dev *pdev = vdev->pdev;
	void __iomem *io;
	size_t size;
	int ret;

	mutex_lock(&vdev->bar_lock);
	io = pci_map_rom(pdev, &size);
	if (!io) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	/* The ROM can be smaller than its BAR: the rest reads as ones */
	ret = vfio_pci_io_rw(vdev, true, io, kbuf, off, count, size, end,
			     false);
	pci_unmap_rom(pdev, io);
out_unlock:
	mutex_unlock(&vdev->bar_lock);
	return ret;
}

ssize_t vfio_pci_bar_rw(struct vfio_pci_device *vdev, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite)
{
	struct pci_dev *pdev = vdev->pdev;
	loff_t pos = *ppos & VFIO_PCI_OFFSET_MASK;
	int bar = VFIO_PCI_OFFSET_TO_INDEX(*ppos);
	size_t x_start = 0, x_end = 0, done = 0, n;
	void __iomem *io = NULL;
	resource_size_t end;
	bool test_mem;
	int ret = 0;
	u8 *kbuf;

	if (pci_resource_start(pdev, bar))
		end = pci_resource_len(pdev, bar);
	else if (bar == PCI_ROM_RESOURCE &&
		 pdev->resource[bar].flags & IORESOURCE_ROM_SHADOW)
		end = VFIO_PCI_SHADOW_ROM_SIZE;
	else
		return -EINVAL;

	if (pos >= end)
		return -EINVAL;

	/* An access across the end of the BAR stops there */
	count = min_t(size_t, count, end - pos);

	if (bar != PCI_ROM_RESOURCE) {
		ret = vfio_pci_setup_barmap(vdev, bar);
		if (ret)
			return ret;
		/* Set once, cleared by close_device: no lock needed now */
		io = vdev->barmap[bar];

		/* The kernel owns the MSI-X table */
		if (bar == vdev->msix_bar) {
			x_start = vdev->msix_offset;
			x_end = vdev->msix_offset + vdev->msix_size;
		}
	}
	test_mem = pci_resource_flags(pdev, bar) & IORESOURCE_MEM;

	kbuf = kmalloc(min_t(size_t, count, PAGE_SIZE), GFP_KERNEL_ACCOUNT);
	if (!kbuf)
		return -ENOMEM;

	for (; done < count; done += n) {
		n = min_t(size_t, count - done, PAGE_SIZE);

		if (iswrite && copy_from_user(kbuf, buf + done, n)) {
			ret = -EFAULT;
			break;
		}

		if (bar == PCI_ROM_RESOURCE)
			ret = vfio_pci_rom_read(vdev, kbuf, pos + done, n, end);
		else
			ret = vfio_pci_io_rw(vdev, test_mem, io, kbuf,
					     pos + done, n, x_start, x_end,
					     iswrite);
		if (ret)
			break;

		if (!iswrite && copy_to_user(buf + done, kbuf, n)) {
			ret = -EFAULT;
			break;
		}
	}
	kfree(kbuf);

	/* Like upstream, a failure fails the whole access */
	if (ret)
		return ret;

	*ppos += done;
	return done;
}
